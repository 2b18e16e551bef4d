package io.psfleet.agent.cli;

import io.psfleet.agent.fleet.FleetAssets;
import io.psfleet.agent.publish.PublisherStats;
import io.psfleet.agent.replay.OwnHostReplay;
import io.psfleet.agent.replay.Recording;
import io.psfleet.agent.replay.SysmonRecordings;
import io.psfleet.commandline.Commands;
import io.psfleet.commandline.Converters;
import io.psfleet.commandline.UsageException;
import io.psfleet.schema.TelemetryEvent;
import io.psfleet.winevent.ReadIssue;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Function;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code ./psfleet replay FILE...}: each recording straight to Kafka (or JSON lines) as its own
 * host, through a kernel and the sensor, for SOC integration tests that want the recorded attack
 * and nothing else.
 */
@Command(
    name = "replay",
    mixinStandardHelpOptions = true,
    versionProvider = Commands.Version.class,
    showDefaultValues = true,
    description = {
      "Replays Sysmon recordings (EVTX, evtx_dump JSON, flat JSON lines, Winlogbeat/ECS JSON,"
          + " XmlWinEventLog lines; told apart by content) as their own hosts: each file is one"
          + " host whose kernel re-enacts events 1, 5, 6, 7 and 8 and whose sensor publishes them"
          + " as psfleet telemetry (Avro to Kafka: --bootstrap, or an embedded broker when none"
          + " is given; or JSON lines: --out).",
      "Other events are counted and reported, not replayed; damaged parts of a file (a chunk"
          + " whose checksum is wrong, a line that is not JSON) are reported with file and"
          + " offset, and the rest is replayed. Everything found is printed before anything is"
          + " published. To weave a recording into a simulated fleet instead, give --replay to"
          + " simulate, demo or detect-test."
    })
public final class ReplayCommand implements Callable<Integer> {
  private static final Pattern HOST_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,62}");
  private static final long PROGRESS_EVERY_NANOS = 2_000_000_000L;

  private final PrintStream out;
  private final PrintStream err;

  @Parameters(paramLabel = "FILE", arity = "1..*", description = "recordings to replay")
  List<Path> files;

  @Option(
      names = "--keep-times",
      description = "keep the recorded times (default: shift each recording so that it starts now)")
  boolean keepTimes;

  @Mixin PublishOptions publish = new PublishOptions();

  @Option(
      names = "--speed",
      paramLabel = "X",
      converter = Converters.NonNegativeDouble.class,
      description =
          "recorded seconds per wall-clock second: 1 replays at the recorded pace, 10 ten times"
              + " faster; 0: flat out")
  double speed;

  @Option(
      names = "--host-id",
      paramLabel = "ID",
      description =
          "host id of the replayed host (with several files: ID-1, ID-2, ...); default: the"
              + " recording's Computer")
  String hostId;

  @Option(names = "--quiet", description = "no progress lines, only the summary")
  boolean quiet;

  public ReplayCommand(PrintStream out, PrintStream err) {
    this.out = out;
    this.err = err;
  }

  @Override
  public Integer call() throws IOException {
    publish.check();
    if (hostId != null && !HOST_ID.matcher(hostId).matches()) {
      throw new UsageException(
          "--host-id '" + hostId + "': 1 to 63 letters, digits, '.', '_' or '-'");
    }
    PrintStream progress = publish.toStdout() ? err : out;
    List<Recording> recordings = new ArrayList<>();
    for (Path file : files) {
      if (!Files.isRegularFile(file)) {
        throw new UsageException("FILE '" + file + "': no such file");
      }
      Recording recording = SysmonRecordings.read(file);
      progress.println("replay: " + recording.summary());
      for (ReadIssue issue : recording.issues()) {
        progress.println("replay:   " + issue);
      }
      if (recording.events().isEmpty()) {
        progress.println("replay:   nothing to replay in " + file + ": skipped");
      } else {
        recordings.add(recording);
      }
    }
    if (recordings.isEmpty()) {
      throw new UsageException("FILE: none of the files holds an event psfleet replays");
    }
    FleetAssets assets = FleetAssets.create();
    List<String> hostIds = hostIds(recordings);
    long wallStart = System.nanoTime();
    long nowNanos = epochNanos(Instant.now());
    long telemetry = 0;
    int refused = 0;
    try (PublishTarget target = PublishTarget.open("replay", publish, speed > 0, out, progress)) {
      progress.println(
          "psfleet replay: " + recordings.size() + " host(s) to " + target.description);
      Function<TelemetryEvent, byte[]> encoder = target.format.newEncoder();
      for (int i = 0; i < recordings.size(); i++) {
        Recording recording = recordings.get(i);
        String host = hostIds.get(i);
        long start = keepTimes ? recording.firstTimeNanos() : nowNanos;
        Pacer pacer = new Pacer(recording, host, progress, System.nanoTime());
        OwnHostReplay.Result result =
            OwnHostReplay.play(
                recording,
                host,
                start,
                host.hashCode() * 0x9E3779B97F4A7C15L,
                assets.images(),
                assets.hashes(),
                event -> {
                  byte[] record = encoder.apply(event);
                  // A Sysmon format has no record for what Sysmon does not log.
                  if (record != null) {
                    target.publisher.send(host, record);
                  }
                },
                pacer::before);
        telemetry += result.telemetryEvents();
        refused += result.refused();
        progress.printf(
            Locale.ROOT,
            "replay: %s as %s: %d recorded events replayed, %d telemetry events%s%n",
            recording.source(),
            host,
            result.events(),
            result.telemetryEvents(),
            result.refused() == 0
                ? ""
                : ", " + result.refused() + " process creations refused by the kernel");
      }
      target.publisher.flush();
      PublisherStats s = target.publisher.stats();
      progress.printf(
          Locale.ROOT,
          "psfleet replay: %,d telemetry events in %.1f s; publisher %,d sent, %,d delivered,"
              + " %,d failed%s%n",
          telemetry,
          (System.nanoTime() - wallStart) / 1e9,
          s.sent(),
          s.delivered(),
          s.failed(),
          s.firstError() == null ? "" : " (first error: " + s.firstError() + ")");
      return s.failed() > 0 || refused > 0 ? 1 : Commands.OK;
    }
  }

  /** One id per recording: --host-id, numbered when there are several, else its Computer. */
  private List<String> hostIds(List<Recording> recordings) {
    List<String> ids = new ArrayList<>();
    Map<String, Integer> taken = new HashMap<>();
    for (int i = 0; i < recordings.size(); i++) {
      String id;
      if (hostId != null) {
        id = recordings.size() == 1 ? hostId : hostId + "-" + (i + 1);
      } else {
        String computer = recordings.get(i).computer();
        id = computer == null ? "replay" : computer.toLowerCase(Locale.ROOT);
      }
      int n = taken.merge(id, 1, Integer::sum);
      ids.add(n == 1 ? id : id + "-" + n);
    }
    return ids;
  }

  private static long epochNanos(Instant t) {
    return t.getEpochSecond() * 1_000_000_000L + t.getNano();
  }

  /** Keeps the replay at --speed against the wall clock and prints progress. */
  private final class Pacer {
    private final Recording recording;
    private final String host;
    private final PrintStream progress;
    private final long wallStart;
    private long nextProgress;
    private int played;

    Pacer(Recording recording, String host, PrintStream progress, long wallStart) {
      this.recording = recording;
      this.host = host;
      this.progress = progress;
      this.wallStart = wallStart;
      this.nextProgress = wallStart + PROGRESS_EVERY_NANOS;
    }

    void before(long offsetNanos) {
      if (speed > 0) {
        long due = wallStart + (long) (offsetNanos / speed);
        long wait = due - System.nanoTime();
        if (wait > 0) {
          try {
            Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while replaying", e);
          }
        }
      }
      long now = System.nanoTime();
      if (!quiet && now >= nextProgress) {
        progress.printf(
            Locale.ROOT,
            "replay: %s: %d of %d events, recorded +%.1f s%n",
            host,
            played,
            recording.events().size(),
            offsetNanos / 1e9);
        nextProgress = now + PROGRESS_EVERY_NANOS;
      }
      played++;
    }
  }
}
