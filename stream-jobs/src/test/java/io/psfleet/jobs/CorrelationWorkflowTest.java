package io.psfleet.jobs;

import static io.psfleet.jobs.DetectionWorkflowTest.DROPPER;
import static io.psfleet.jobs.DetectionWorkflowTest.EXPLORER;
import static io.psfleet.jobs.DetectionWorkflowTest.NOTEPAD;
import static io.psfleet.jobs.DetectionWorkflowTest.PARALLELISM;
import static io.psfleet.jobs.DetectionWorkflowTest.WINLOGON;
import static org.assertj.core.api.Assertions.assertThat;

import io.psfleet.jobs.DetectionWorkflowTest.AlertSink;
import io.psfleet.jobs.DetectionWorkflowTest.DeadLetterSink;
import io.psfleet.jobs.DetectionWorkflowTest.Host;
import io.psfleet.jobs.DetectionWorkflowTest.Progress;
import io.psfleet.jobs.DetectionWorkflowTest.Script;
import io.psfleet.jobs.DetectionWorkflowTest.ScriptedSource;
import io.psfleet.jobs.alert.Alert;
import io.psfleet.jobs.correlation.CorrelationFunction;
import io.psfleet.jobs.io.InputBounds;
import io.psfleet.jobs.sigma.SigmaRuleText;
import io.psfleet.jobs.sigma.SigmaRules;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.graph.StreamEdge;
import org.apache.flink.streaming.api.graph.StreamGraph;
import org.apache.flink.streaming.api.graph.StreamNode;
import org.apache.flink.streaming.runtime.partitioner.ForwardPartitioner;
import org.apache.flink.streaming.runtime.partitioner.KeyGroupStreamPartitioner;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Sigma correlation rules in the detection job as {@link FleetDetectionJob#defineWorkflow} builds
 * it, on a MiniCluster at parallelism 2 with generic types disabled, fed Avro telemetry of several
 * hosts on two partitions (the scripted source of {@link DetectionWorkflowTest}).
 *
 * <p>The rules, in two files that refer to each other by name: a remote thread at LoadLibrary and
 * an unsigned module from a user folder (detection rules, referenced without {@code generate}); a
 * per-host {@code temporal_ordered} DLL injection (the thread, then a load in its target, aliased
 * on the target process); a fleet-wide {@code value_count} of hosts per module hash; and a
 * fleet-wide {@code value_count} chained on a per-host {@code event_count} (a module loaded again
 * and again on several hosts), so matches cross from the per-host operator to the fleet one.
 */
class CorrelationWorkflowTest {
  @RegisterExtension
  static final MiniClusterExtension FLINK =
      new MiniClusterExtension(
          new MiniClusterResourceConfiguration.Builder()
              .setNumberTaskManagers(1)
              .setNumberSlotsPerTaskManager(2)
              .build());

  static final String INJECTION = "c0e1a7e0-0000-4000-8000-000000000001";
  static final String CAMPAIGN = "c0e1a7e0-0000-4000-8000-000000000002";
  static final String REPEATED = "c0e1a7e0-0000-4000-8000-000000000003";
  static final String REPEATED_ON_HOSTS = "c0e1a7e0-0000-4000-8000-000000000004";
  static final String THREAD_RULE = "c0e1a7e0-0000-4000-8000-0000000000a1";
  static final String LOAD_RULE = "c0e1a7e0-0000-4000-8000-0000000000a2";

  static final String BASE_RULES =
      """
      title: Remote thread at LoadLibrary
      id: %s
      name: remote_thread
      logsource:
        product: windows
        category: create_remote_thread
      detection:
        selection:
          StartFunction|startswith: LoadLibrary
        condition: selection
      ---
      title: Unsigned module from a user folder
      id: %s
      name: unsigned_user_module
      logsource:
        product: windows
        category: image_load
      detection:
        selection:
          Signed: 'false'
          ImageLoaded|contains: '\\Users\\'
        condition: selection
      """
          .formatted(THREAD_RULE, LOAD_RULE);

  static final String CORRELATIONS =
      """
      title: DLL injection (Sigma correlation)
      id: %s
      level: high
      tags:
        - attack.defense-evasion
        - attack.t1055.001
      correlation:
        type: temporal_ordered
        rules:
          - remote_thread
          - unsigned_user_module
        group-by:
          - Computer
          - target
        timespan: 30s
        aliases:
          target:
            remote_thread: TargetProcessGuid
            unsigned_user_module: ProcessGuid
      ---
      title: Unsigned module spreading across the fleet
      id: %s
      level: critical
      tags:
        - attack.lateral-movement
        - attack.t1570
      correlation:
        type: value_count
        rules:
          - unsigned_user_module
        group-by:
          - Hashes
        timespan: 15m
        condition:
          field: Computer
          gte: 3
      ---
      title: Module loaded again and again on a host
      id: %s
      name: repeated_module
      correlation:
        type: event_count
        rules: [unsigned_user_module]
        group-by: [Computer, Hashes]
        timespan: 1m
        condition:
          gte: 2
      ---
      title: Module loaded again and again on several hosts
      id: %s
      level: high
      correlation:
        type: value_count
        rules: [repeated_module]
        group-by: [Hashes]
        timespan: 10m
        condition:
          field: Computer
          gte: 2
      """
          .formatted(INJECTION, CAMPAIGN, REPEATED, REPEATED_ON_HOSTS);

  static final List<Alert> alerts = new ArrayList<>();
  static final Map<String, String> ids = new HashMap<>();

  @BeforeAll
  @Timeout(value = 5, unit = TimeUnit.MINUTES)
  static void runTheWorkflow() throws Exception {
    Script script = new Script();
    writeScript(script);
    Path rules = Files.createTempDirectory("sigma-correlations");
    Files.writeString(rules.resolve("correlations.yml"), CORRELATIONS);
    Files.writeString(rules.resolve("base.yml"), BASE_RULES);
    StreamExecutionEnvironment env = environment();
    String run = UUID.randomUUID().toString();
    Progress progress = Progress.start(run);
    try {
      JobConfig config = config(rules.toString());
      FleetDetectionJob.defineWorkflow(
          env,
          config,
          new ScriptedSource(run, script.splits, config.inputBounds()),
          new AlertSink(run),
          new DeadLetterSink(run));
      env.execute("correlation workflow test");
      alerts.addAll(progress.alerts);
    } finally {
      Progress.end(run);
      for (Path p : List.of(rules.resolve("correlations.yml"), rules.resolve("base.yml"), rules)) {
        Files.deleteIfExists(p);
      }
    }
  }

  /**
   * The job's config, with the rules of folder {@code rules} (none when null) and without psfleet's
   * pack: these tests are about the correlations they give.
   */
  static JobConfig config(String rules) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "--bootstrap",
                "unused:9092",
                "--parallelism",
                Integer.toString(PARALLELISM),
                "--out-of-orderness",
                "5s",
                "--no-default-rules"));
    if (rules != null) {
      args.addAll(List.of("--rules", rules));
    }
    return JobConfig.fromArgs(args.toArray(new String[0]));
  }

  static StreamExecutionEnvironment environment() {
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
    FleetDetectionJob.configure(env, config(null));
    Configuration test = new Configuration();
    test.set(PipelineOptions.GENERIC_TYPES, false);
    test.set(RestartStrategyOptions.RESTART_STRATEGY, "none");
    env.configure(test);
    return env;
  }

  /** Times are seconds after the start; each host's events in its sequence order. */
  static void writeScript(Script script) {
    // Partition 1: one host of the campaign, early in event time but on another partition.
    Host d3 = new Host("host-d3");
    script.send(1, d3.create(1, EXPLORER, WINLOGON));
    ids.put("d3.load", script.send(1, d3.load(130, EXPLORER, campaignDll(), null)));
    // And a second hash that reaches two hosts only: a near miss.
    Host m1 = new Host("host-m1");
    script.send(1, m1.create(1, EXPLORER, WINLOGON));
    script.send(1, m1.load(140, EXPLORER, "C:\\Users\\Public\\other.dll", null));
    // A module loaded twice on each of two hosts, one per partition: a per-host event_count
    // chained into a fleet-wide value_count.
    Host r1 = new Host("host-r1");
    script.send(1, r1.create(1, EXPLORER, WINLOGON));
    ids.put("r1.load1", script.send(1, r1.load(200, EXPLORER, repeatedDll(), null)));
    ids.put("r1.load2", script.send(1, r1.load(230, EXPLORER, repeatedDll(), null)));

    // Partition 0: the injection on host-a, its look-alike order on host-n, and two campaign
    // hosts whose loads arrive out of their event-time order.
    Host a = new Host("host-a");
    script.send(0, a.create(1, EXPLORER, WINLOGON));
    script.send(0, a.create(2, NOTEPAD, EXPLORER));
    script.send(0, a.create(3, DROPPER, EXPLORER));
    ids.put("a.thread", script.send(0, a.thread(10, DROPPER, NOTEPAD, "LoadLibraryW")));
    // A load into another process of the same host: not the thread's target.
    script.send(0, a.load(11, EXPLORER, "C:\\Users\\alice\\AppData\\Local\\Temp\\a1.dll", null));
    ids.put(
        "a.load",
        script.send(
            0, a.load(12, NOTEPAD, "C:\\Users\\alice\\AppData\\Local\\Temp\\a2.dll", null)));

    Host n = new Host("host-n");
    script.send(0, n.create(1, EXPLORER, WINLOGON));
    script.send(0, n.create(2, NOTEPAD, EXPLORER));
    script.send(0, n.create(3, DROPPER, EXPLORER));
    script.send(0, n.load(20, NOTEPAD, "C:\\Users\\bob\\AppData\\Local\\Temp\\n.dll", null));
    script.send(0, n.thread(21, DROPPER, NOTEPAD, "LoadLibraryW"));

    Host d1 = new Host("host-d1");
    Host d2 = new Host("host-d2");
    Host m2 = new Host("host-m2");
    script.send(0, d1.create(1, EXPLORER, WINLOGON));
    script.send(0, d2.create(1, EXPLORER, WINLOGON));
    script.send(0, m2.create(1, EXPLORER, WINLOGON));
    ids.put("d2.load", script.send(0, d2.load(124, EXPLORER, campaignDll(), null)));
    ids.put("d1.load", script.send(0, d1.load(121, EXPLORER, campaignDll(), null)));
    script.send(0, m2.load(150, EXPLORER, "C:\\Users\\Public\\other.dll", null));
    Host r2 = new Host("host-r2");
    script.send(0, r2.create(1, EXPLORER, WINLOGON));
    ids.put("r2.load1", script.send(0, r2.load(210, EXPLORER, repeatedDll(), null)));
    ids.put("r2.load2", script.send(0, r2.load(215, EXPLORER, repeatedDll(), null)));
  }

  static String repeatedDll() {
    return "C:\\Users\\Public\\Libraries\\again.dll";
  }

  static String campaignDll() {
    return "C:\\Users\\Public\\Libraries\\wsupd.dll";
  }

  static List<Alert> of(String rule) {
    return alerts.stream().filter(x -> x.analytic().id().equals(rule)).toList();
  }

  @Test
  void aRemoteThreadThenALoadInItsTargetRaisesThePerHostCorrelation() {
    assertThat(of(INJECTION))
        .singleElement()
        .satisfies(
            x -> {
              assertThat(x.hostId()).isEqualTo("host-a");
              assertThat(x.hosts()).containsExactly("host-a");
              assertThat(x.evidenceEventIds())
                  .containsExactly(ids.get("a.thread"), ids.get("a.load"));
              assertThat(x.uid()).isEqualTo(Alert.uidOf(x.analytic(), x.evidenceEventIds()));
              assertThat(x.process().key()).isEqualTo(NOTEPAD.key());
              assertThat(x.analytic().technique()).isEqualTo("T1055.001");
              assertThat(x.analytic().severityId()).isEqualTo(4);
            });
  }

  @Test
  void theSameModuleOnThreeHostsRaisesTheFleetCorrelationAcrossPartitions() {
    assertThat(of(CAMPAIGN))
        .singleElement()
        .satisfies(
            x -> {
              // In event-time order, whatever order they arrived in.
              assertThat(x.hosts()).containsExactly("host-d1", "host-d2", "host-d3");
              assertThat(x.evidenceEventIds())
                  .containsExactly(ids.get("d1.load"), ids.get("d2.load"), ids.get("d3.load"));
              assertThat(x.hostId()).isEqualTo("host-d3");
              assertThat(x.analytic().severityId()).isEqualTo(5);
            });
  }

  @Test
  void aFleetCorrelationOnPerHostMatchesGathersThemAcrossHosts() {
    assertThat(of(REPEATED_ON_HOSTS))
        .singleElement()
        .satisfies(
            x -> {
              assertThat(x.hosts()).containsExactly("host-r2", "host-r1");
              assertThat(x.evidenceEventIds())
                  .containsExactly(
                      ids.get("r2.load1"),
                      ids.get("r2.load2"),
                      ids.get("r1.load1"),
                      ids.get("r1.load2"));
              assertThat(x.timeNanos()).isEqualTo(DetectionWorkflowTest.nanos(230));
            });
    // The per-host correlation it builds on matches silently: no generate.
    assertThat(of(REPEATED)).isEmpty();
  }

  @Test
  void referencedDetectionRulesRaiseNoAlertOfTheirOwn() {
    assertThat(alerts).extracting(x -> x.analytic().id()).doesNotContain(THREAD_RULE, LOAD_RULE);
    assertThat(alerts.stream().filter(x -> x.analytic().isSigma()))
        .extracting(x -> x.analytic().id())
        .containsExactlyInAnyOrder(INJECTION, CAMPAIGN, REPEATED_ON_HOSTS);
  }

  @Test
  void perHostCorrelationFollowsTheSigmaOperatorWithoutAShuffleAndFleetOneIsKeyed() {
    StreamExecutionEnvironment env = environment();
    FleetDetectionJob.defineWorkflow(
        env,
        config(null).withSigmaRules(sigmaRules(BASE_RULES, CORRELATIONS)),
        new ScriptedSource("unused", List.of(List.of(), List.of()), InputBounds.defaults()),
        new AlertSink("unused"),
        new DeadLetterSink("unused"));
    StreamGraph graph = env.getStreamGraph();
    StreamNode host = node(graph, CorrelationFunction.Scope.HOST.operatorName);
    StreamNode fleet = node(graph, CorrelationFunction.Scope.FLEET.operatorName);
    // Input 1 is the data; input 2 the broadcast rule set versions.
    assertThat(host.getInEdges().stream().filter(e -> e.getTypeNumber() == 1))
        .singleElement()
        .satisfies(
            e -> {
              assertThat(graph.getStreamNode(e.getSourceId()).getOperatorName())
                  .isEqualTo(FleetDetectionJob.DETECTION_NAME);
              assertThat(e.getPartitioner()).isInstanceOf(ForwardPartitioner.class);
            });
    assertThat(fleet.getInEdges().stream().filter(e -> e.getTypeNumber() == 1))
        .extracting(StreamEdge::getPartitioner)
        .allSatisfy(p -> assertThat(p).isInstanceOf(KeyGroupStreamPartitioner.class));
  }

  @Test
  void withoutCorrelationRulesTheGraphHasNoCorrelationOperator() {
    StreamExecutionEnvironment env = environment();
    FleetDetectionJob.defineWorkflow(
        env,
        config(null).withSigmaRules(sigmaRules(BASE_RULES)),
        new ScriptedSource("unused", List.of(List.of(), List.of()), InputBounds.defaults()),
        new AlertSink("unused"),
        new DeadLetterSink("unused"));
    assertThat(env.getStreamGraph().getStreamNodes())
        .extracting(StreamNode::getOperatorName)
        .contains(FleetDetectionJob.DETECTION_NAME)
        .noneMatch(name -> name.startsWith("Correlate"));
  }

  static SigmaRules sigmaRules(String... texts) {
    List<SigmaRuleText> files = new ArrayList<>();
    for (int i = 0; i < texts.length; i++) {
      files.add(new SigmaRuleText("rules-" + i + ".yml", texts[i]));
    }
    return SigmaRules.of(files);
  }

  static StreamNode node(StreamGraph graph, String name) {
    return graph.getStreamNodes().stream()
        .filter(n -> n.getOperatorName().equals(name))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no operator " + name));
  }
}
