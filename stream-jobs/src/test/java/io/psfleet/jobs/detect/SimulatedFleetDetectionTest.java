package io.psfleet.jobs.detect;

import static org.assertj.core.api.Assertions.assertThat;

import io.psfleet.agent.fleet.Fleet;
import io.psfleet.agent.fleet.FleetAssets;
import io.psfleet.agent.fleet.FleetConfig;
import io.psfleet.agent.fleet.ProfileMix;
import io.psfleet.agent.fleet.RecordFormat;
import io.psfleet.agent.fleet.RecordingPublisher;
import io.psfleet.agent.scenario.Scenario;
import io.psfleet.agent.scenario.ScenarioPlan.CampaignShape;
import io.psfleet.jobs.alert.Alert;
import io.psfleet.jobs.correlation.PackRun;
import io.psfleet.jobs.event.EventKind;
import io.psfleet.jobs.event.Telemetry;
import io.psfleet.jobs.event.TelemetryMapping;
import io.psfleet.jobs.lineage.Ancestor;
import io.psfleet.jobs.lineage.EnrichedEvent;
import io.psfleet.schema.GroundTruth;
import io.psfleet.schema.GroundTruthLabel;
import io.psfleet.schema.TelemetryEvent;
import io.psfleet.schema.codec.SingleObjectCodec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The simulator's own fleet, every attack and look-alike injected (three fleet campaigns), run
 * through psfleet's Sigma rule pack, single-event rules and correlations as the job runs them:
 * every attack instance alerts with its expected rule, and nothing else does, neither look-alikes
 * nor the benign workload. Ancestry comes from a naive process map here, not from the lineage
 * operator.
 */
class SimulatedFleetDetectionTest {
  static final long START = FleetConfig.Builder.DEFAULT_START_NANOS;
  static final Map<String, String> EXPECTED =
      Map.of(
          "dll-injection", "psfleet-001",
          "sensitive-process-module", "psfleet-002",
          "office-macro-chain", "psfleet-004",
          "ppid-spoofing", "psfleet-003",
          "dll-sideloading", "psfleet-005",
          "fleet-campaign", "psfleet-006");

  static final List<Alert> alerts = new ArrayList<>();
  static final List<GroundTruth> truths = new ArrayList<>();
  static int events;

  @BeforeAll
  static void runFleetThroughTheDetections() throws Exception {
    FleetAssets assets = FleetAssets.create();
    Map<String, Integer> scenarios = new LinkedHashMap<>();
    for (Scenario s : assets.scenarios().all()) {
      scenarios.put(s.name(), 2);
    }
    // Several campaigns over the same few hosts, overlapping in time: each must be caught on its
    // own (its own DLL, its own alert naming its hosts).
    scenarios.put("fleet-campaign", 3);
    FleetConfig config =
        FleetConfig.builder()
            .hosts(8)
            .seed(11)
            .startNanos(START)
            .duration(Duration.ofMinutes(40))
            .bootWindow(Duration.ofSeconds(30))
            .profiles(new ProfileMix(100, 0, 0))
            .scenarios(scenarios)
            .campaign(new CampaignShape(5, Duration.ofMinutes(10)))
            .threads(1)
            .build();
    RecordingPublisher recorder = new RecordingPublisher();
    new Fleet(config, assets, recorder, null, RecordFormat.AVRO, p -> {}).run();

    try (PackRun pack = new PackRun()) {
      NaiveLineage lineage = new NaiveLineage();
      long watermark = Long.MIN_VALUE;
      for (Telemetry t : decoded(recorder)) {
        long millis = t.timeNanos() / 1_000_000;
        pack.send(lineage.enrich(t));
        if (millis - 5_000 > watermark + 1_000) {
          watermark = millis - 5_000;
          pack.watermarkMillis(watermark);
        }
      }
      pack.watermarkMillis(Long.MAX_VALUE);
      alerts.addAll(pack.singleEventAlerts);
      alerts.addAll(pack.hostAlerts());
      alerts.addAll(pack.fleetAlerts());
    }
    SingleObjectCodec<GroundTruth> truthCodec = SingleObjectCodec.groundTruth();
    for (RecordingPublisher.Sent sent : recorder.groundTruth) {
      truths.add(truthCodec.decode(sent.value()));
    }
    events = recorder.telemetry.size();
  }

  @Test
  void everyAttackRaisesItsRule() {
    Map<String, Set<String>> rulesByScenarioId = new HashMap<>();
    Map<String, String> scenarioOf = new HashMap<>();
    for (GroundTruth truth : truths) {
      if (truth.getLabel() != GroundTruthLabel.ATTACK) {
        continue;
      }
      scenarioOf.put(truth.getScenarioId(), truth.getScenario());
      Set<String> ids = eventIds(truth);
      for (Alert a : alerts) {
        if (!Collections.disjoint(ids, List.of(a.evidenceEventIds()))) {
          rulesByScenarioId
              .computeIfAbsent(truth.getScenarioId(), k -> new HashSet<>())
              .add(a.analytic().id());
        }
      }
    }

    assertThat(scenarioOf.values()).containsAll(EXPECTED.keySet());
    for (Map.Entry<String, String> instance : scenarioOf.entrySet()) {
      assertThat(rulesByScenarioId.getOrDefault(instance.getKey(), Set.of()))
          .as("rules raised by %s (%d events, %d alerts)", instance.getKey(), events, alerts.size())
          .contains(EXPECTED.get(instance.getValue()));
    }
  }

  @Test
  void nothingButTheAttacksAlerts() {
    Set<String> attackEvents = new HashSet<>();
    Set<String> lookalikes = new HashSet<>();
    for (GroundTruth truth : truths) {
      if (truth.getLabel() == GroundTruthLabel.ATTACK) {
        attackEvents.addAll(eventIds(truth));
      } else {
        lookalikes.add(truth.getScenario());
      }
    }

    assertThat(lookalikes).hasSize(8);
    assertThat(alerts)
        .filteredOn(a -> Collections.disjoint(attackEvents, List.of(a.evidenceEventIds())))
        .extracting(a -> a.analytic().id() + ": " + a.message())
        .isEmpty();
  }

  static Set<String> eventIds(GroundTruth truth) {
    Set<String> ids = new HashSet<>();
    for (long sequence : truth.getEventSequences()) {
      ids.add(Telemetry.eventId(truth.getHostId(), truth.getBootId(), sequence));
    }
    return ids;
  }

  private static List<Telemetry> decoded(RecordingPublisher recorder) throws Exception {
    SingleObjectCodec<TelemetryEvent> codec = SingleObjectCodec.telemetry();
    List<Telemetry> out = new ArrayList<>();
    for (RecordingPublisher.Sent sent : recorder.telemetry) {
      out.add(TelemetryMapping.from(codec.decode(sent.value())));
    }
    return out;
  }

  /**
   * Ancestry from every process create ever seen, per host; parents that were never seen are
   * placeholders.
   */
  static final class NaiveLineage {
    record Node(Ancestor self, long parentKey, int parentPid, String parentImage) {}

    final Map<String, Node> nodes = new HashMap<>();

    EnrichedEvent enrich(Telemetry t) {
      if (t.kind() == EventKind.PROCESS_CREATE) {
        nodes.put(
            t.hostId() + "/" + t.processKey(),
            new Node(
                new Ancestor(t.processKey(), t.processId(), t.image(), t.commandLine(), false),
                t.parentKey(),
                t.parentProcessId(),
                t.parentImage()));
        return new EnrichedEvent(
            t,
            chain(t.hostId(), t.parentKey(), t.parentProcessId(), t.parentImage()),
            EnrichedEvent.NONE);
      }
      Ancestor[] ancestry = ancestryOf(t.hostId(), t.processKey());
      Ancestor[] source =
          t.kind() == EventKind.THREAD_CREATE && t.remoteThread()
              ? ancestryOf(t.hostId(), t.sourceKey())
              : EnrichedEvent.NONE;
      return new EnrichedEvent(t, ancestry, source);
    }

    Ancestor[] ancestryOf(String host, long key) {
      Node node = nodes.get(host + "/" + key);
      return node == null
          ? EnrichedEvent.NONE
          : chain(host, node.parentKey(), node.parentPid(), node.parentImage());
    }

    Ancestor[] chain(String host, long parentKey, int parentPid, String parentImage) {
      List<Ancestor> chain = new ArrayList<>();
      long key = parentKey;
      int pid = parentPid;
      String image = parentImage;
      while (chain.size() < 8 && (key != 0 || pid != 0)) {
        Node node = nodes.get(host + "/" + key);
        if (node == null) {
          chain.add(new Ancestor(key, pid, image, null, true));
          break;
        }
        chain.add(node.self());
        key = node.parentKey();
        pid = node.parentPid();
        image = node.parentImage();
      }
      return chain.toArray(new Ancestor[0]);
    }
  }
}
