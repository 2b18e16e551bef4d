package io.psfleet.jobs.sigma;

import com.sun.management.ThreadMXBean;
import io.psfleet.agent.fleet.FleetRun;
import io.psfleet.agent.fleet.RecordingPublisher;
import io.psfleet.jobs.event.Telemetry;
import io.psfleet.jobs.event.TelemetryMapping;
import io.psfleet.jobs.lineage.EnrichedEvent;
import io.psfleet.schema.TelemetryEvent;
import io.psfleet.schema.codec.SingleObjectCodec;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The Sigma path of the job on one thread, without Flink or Kafka: a simulated fleet's records are
 * decoded and mapped as the job does, then judged by every rule of a SigmaHQ checkout. Prints the
 * cost per event of decoding and mapping alone and with the rules, and the bytes allocated per
 * event, so a change to the engine or the Sysmon view can be measured before and after.
 *
 * <p>Run: {@code ./mvnw -o -q -pl stream-jobs -am test-compile exec:java -Dexec.classpathScope=test
 * -Dexec.mainClass=io.psfleet.jobs.sigma.SigmaDetectorBenchmark -Dexec.args="RULES SECONDS"}
 * (defaults: /work/shared/sigma/rules, 10 s per phase).
 */
public final class SigmaDetectorBenchmark {
  private static long sink;

  public static void main(String[] args) throws Exception {
    Path rulesPath = Path.of(args.length > 0 ? args[0] : "/work/shared/sigma/rules");
    double seconds = args.length > 1 ? Double.parseDouble(args[1]) : 10;
    if (!Files.isDirectory(rulesPath)) {
      System.out.println("no Sigma rules at " + rulesPath + ": benchmark not run");
      return;
    }
    SigmaRules rules = SigmaRules.read(List.of(rulesPath));
    SigmaDetector detector = new SigmaDetector(rules);
    FleetRun run =
        FleetRun.run(
            FleetRun.config(
                200,
                Duration.ofHours(2),
                Map.of("dll-injection", 2, "office-macro-chain", 2, "fleet-campaign", 1)));
    List<RecordingPublisher.Sent> records = run.published.telemetry;
    System.out.printf(
        Locale.ROOT,
        "%d rules compiled; %,d simulated records of 200 hosts%n",
        detector.rulesCompiled(),
        records.size());
    SingleObjectCodec<TelemetryEvent> codec = SingleObjectCodec.telemetry();
    for (int round = 0; round < 3; round++) {
      Phase decode = time(seconds, records, codec, null);
      Phase sigma = time(seconds, records, codec, detector);
      System.out.printf(
          Locale.ROOT,
          "round %d: decode+map %.2f us/event %,d B/event | with Sigma %.2f us/event %,d B/event"
              + " | Sigma alone %.2f us/event, %,d B/event%n",
          round,
          decode.micros(),
          decode.bytes(),
          sigma.micros(),
          sigma.bytes(),
          sigma.micros() - decode.micros(),
          sigma.bytes() - decode.bytes());
    }
    System.out.println("(sink " + sink + ")");
  }

  private record Phase(double micros, long bytes) {}

  private static Phase time(
      double seconds,
      List<RecordingPublisher.Sent> records,
      SingleObjectCodec<TelemetryEvent> codec,
      SigmaDetector detector)
      throws Exception {
    ThreadMXBean threads = (ThreadMXBean) ManagementFactory.getThreadMXBean();
    long id = Thread.currentThread().getId();
    long end = System.nanoTime() + (long) (seconds * 1e9);
    long n = 0;
    long a0 = threads.getThreadAllocatedBytes(id);
    long c0 = threads.getCurrentThreadCpuTime();
    while (System.nanoTime() < end) {
      for (int i = 0; i < 10_000; i++) {
        RecordingPublisher.Sent record = records.get((int) (n++ % records.size()));
        Telemetry event = TelemetryMapping.from(codec.decode(record.value()));
        if (detector == null) {
          sink += event.timeNanos();
        } else {
          detector.evaluate(
              new EnrichedEvent(event, EnrichedEvent.NONE, EnrichedEvent.NONE), a -> sink++);
        }
      }
    }
    long cpu = threads.getCurrentThreadCpuTime() - c0;
    long bytes = threads.getThreadAllocatedBytes(id) - a0;
    return new Phase(cpu / 1e3 / n, bytes / n);
  }
}
