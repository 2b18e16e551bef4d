package io.psfleet.jobs.correlation;

import static io.psfleet.jobs.detect.TestEvents.KERNEL32;
import static io.psfleet.jobs.detect.TestEvents.SYSTEM32;
import static io.psfleet.jobs.detect.TestEvents.at;
import static io.psfleet.jobs.detect.TestEvents.proc;

import io.psfleet.jobs.detect.TestEvents;
import io.psfleet.jobs.detect.TestEvents.Proc;
import io.psfleet.jobs.lineage.EnrichedEvent;
import io.psfleet.jobs.sigma.SigmaDetector;
import io.psfleet.jobs.sigma.SigmaRuleText;
import io.psfleet.jobs.sigma.SigmaRules;
import io.psfleet.sigma.correlation.CorrelationEngine;
import io.psfleet.sigma.correlation.CorrelationMatch;
import io.psfleet.sigma.correlation.CorrelationRule;
import io.psfleet.sigma.correlation.CorrelationState;
import io.psfleet.sigma.correlation.Observation;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.core.memory.DataOutputSerializer;

/**
 * Correlation state bytes per group key: the size of one key's {@link CorrelationState} as Flink's
 * serializer writes it (what a checkpoint, or RocksDB, holds for it), for the shapes psfleet's
 * correlations take. The observations come from the Sigma detector on test events, so every field
 * (event ids, GUIDs, hashes, paths) has its real rendering. Not a test: run it, read the table.
 *
 * <p>Run it on the test classpath of stream-jobs with this build's sigma module, e.g. after {@code
 * ./mvnw -o -q -pl sigma,stream-jobs test-compile}: {@code java -cp
 * stream-jobs/target/test-classes:stream-jobs/target/classes:sigma/target/classes:<the other test
 * dependencies> io.psfleet.jobs.correlation.CorrelationStateBenchmark} (or {@code exec:java
 * -Dexec.classpathScope=test} on stream-jobs once the sigma module is installed).
 */
public final class CorrelationStateBenchmark {
  static final Proc DROPPER = proc(31, 5000, "C:\\Users\\alice\\Downloads\\Invoice_2026-11.exe");
  static final Proc NOTEPAD = proc(21, 3100, SYSTEM32 + "notepad.exe");
  static final Proc EXPLORER = proc(20, 3000, "C:\\Windows\\explorer.exe");
  static final String DLL = "C:\\Users\\Public\\Libraries\\wsupd.dll";
  static final String INJECTION = "be000000-0000-4000-8000-000000000001";
  static final String CAMPAIGN = "be000000-0000-4000-8000-000000000002";
  static final String BURST = "be000000-0000-4000-8000-000000000003";

  static final String RULES =
      """
      title: Remote thread at LoadLibrary
      id: be000000-0000-4000-8000-0000000000a1
      name: remote_thread
      logsource: {product: windows, category: create_remote_thread}
      detection:
        selection:
          StartFunction|startswith: LoadLibrary
        condition: selection
      ---
      title: Unsigned module from a user folder
      id: be000000-0000-4000-8000-0000000000a2
      name: unsigned_load
      logsource: {product: windows, category: image_load}
      detection:
        selection:
          Signed: 'false'
          ImageLoaded|contains: '\\Users\\'
        condition: selection
      ---
      title: Process started
      id: be000000-0000-4000-8000-0000000000a3
      name: process_started
      logsource: {product: windows, category: process_creation}
      detection:
        selection:
          Image|endswith: '.exe'
        condition: selection
      ---
      title: DLL injection
      id: be000000-0000-4000-8000-000000000001
      correlation:
        type: temporal_ordered
        rules: [remote_thread, unsigned_load]
        group-by: [Computer, target]
        timespan: 30s
        aliases:
          target: {remote_thread: TargetProcessGuid, unsigned_load: ProcessGuid}
      ---
      title: Module on many hosts
      id: be000000-0000-4000-8000-000000000002
      correlation:
        type: value_count
        rules: [unsigned_load]
        group-by: [Hashes]
        timespan: 1d
        condition: {field: Computer, gte: 100000}
      ---
      title: Process burst
      id: be000000-0000-4000-8000-000000000003
      correlation:
        type: event_count
        rules: [process_started]
        group-by: [Computer, User]
        timespan: 1d
        condition: {gte: 100000}
      """;

  private final SigmaDetector detector =
      new SigmaDetector(SigmaRules.of(List.of(new SigmaRuleText("bench.yml", RULES))));
  private final CorrelationEngine engine =
      new CorrelationEngine(
          detector.correlations(), c -> true, CorrelationEngine.DEFAULT_MAX_SIGHTINGS);
  private final TypeSerializer<CorrelationState> serializer =
      TypeInformation.of(CorrelationState.class).createSerializer(new SerializerConfigImpl());
  private final Map<String, CorrelationState> states = new HashMap<>();
  private final CorrelationEngine.Output discard =
      new CorrelationEngine.Output() {
        @Override
        public void match(CorrelationMatch match) {}

        @Override
        public void forward(Observation observation) {}
      };

  public static void main(String[] args) throws IOException {
    new CorrelationStateBenchmark().run();
  }

  void run() throws IOException {
    System.out.println(
        "Correlation state bytes per group key (Flink's serializer for the key's"
            + " CorrelationState)");
    System.out.printf("%-52s %10s %12s%n", "shape", "sightings", "bytes/key");
    row("temporal_ordered: a remote thread, pending", 1, injection(false));
    row("temporal_ordered: a remote thread, in its window", 1, injection(true));
    for (int hosts : new int[] {1, 10, 100, 1000}) {
      row("value_count: one hash on " + hosts + " hosts (fleet)", hosts, campaign(hosts));
    }
    for (int events : new int[] {1, 10, 100}) {
      row("event_count: " + events + " processes of one user on a host", events, burst(events));
    }
    System.out.println(
        "An empty key holds no state: its entry is cleared once the watermark is"
            + " a timespan past its last sighting.");
  }

  private void row(String shape, int sightings, CorrelationState state) throws IOException {
    DataOutputSerializer out = new DataOutputSerializer(4096);
    serializer.serialize(state, out);
    System.out.printf("%-52s %10d %12d%n", shape, sightings, out.length());
  }

  private CorrelationState injection(boolean judged) {
    TestEvents a = new TestEvents("host-000042");
    feed(a.thread(10, DROPPER, NOTEPAD, KERNEL32, "LoadLibraryW"), INJECTION);
    return only(judged ? 11 : 0);
  }

  private CorrelationState campaign(int hosts) {
    for (int h = 0; h < hosts; h++) {
      feed(
          new TestEvents(String.format("host-%06d", h)).load(10 + h, EXPLORER, DLL, null),
          CAMPAIGN);
    }
    return only(10 + hosts);
  }

  private CorrelationState burst(int events) {
    TestEvents a = new TestEvents("host-000042");
    for (int i = 0; i < events; i++) {
      feed(a.create(10 + i, EXPLORER, NOTEPAD), BURST);
    }
    return only(10 + events);
  }

  /** The detector's observations of {@code e} for {@code correlation}, into their key's state. */
  private void feed(EnrichedEvent e, String correlation) {
    List<Observation> observations = new ArrayList<>();
    detector.evaluate(e, x -> {}, observations::add);
    for (Observation o : observations) {
      if (!o.correlation().equals(correlation)) {
        continue;
      }
      CorrelationRule rule = detector.correlations().rule(o.correlation());
      String key = rule.hostScoped() ? CorrelationFunction.hostKey(o) : o.valuesKey();
      engine.add(
          states.computeIfAbsent(key, k -> new CorrelationState()), o, Long.MIN_VALUE, discard);
    }
  }

  /** The one key's state, judged up to {@code seconds} (0: left pending); then forgotten. */
  private CorrelationState only(double seconds) {
    if (states.size() != 1) {
      throw new IllegalStateException("expected one key, got " + states.keySet());
    }
    CorrelationState state = states.values().iterator().next();
    if (seconds > 0) {
      engine.advance(state, at(seconds), discard);
    }
    states.clear();
    return state;
  }
}
