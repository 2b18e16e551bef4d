package io.psfleet.agent.cli;

import io.psfleet.agent.fleet.HostSelection;
import io.psfleet.agent.replay.Recording;
import io.psfleet.agent.replay.RootParent;
import io.psfleet.agent.replay.SysmonRecordings;
import io.psfleet.agent.replay.Transplant;
import io.psfleet.commandline.Durations;
import io.psfleet.commandline.UsageException;
import io.psfleet.winevent.ReadIssue;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The {@code --replay} grammar: {@code FILE[:hosts=N|LIST][:at=TIME|every=D][:technique=T]
 * [:parent=explorer|recorded]}. {@code hosts=5} is five hosts drawn by the seed (default 1), {@code
 * hosts=1-50,77} names fleet numbers; {@code at=} is a duration after the run's start ({@code 5m})
 * or an instant ({@code 2026-11-24T08:05:00Z}); {@code every=} repeats from the scenario window's
 * start; neither: a time drawn by the seed, as for scenarios. Each file is read once, however many
 * times it is named.
 */
public final class TransplantSpecs {
  /** The option's one-line description, for --help. */
  public static final String DESCRIPTION =
      "a Sysmon recording (EVTX, evtx_dump JSON, flat JSON, ECS, XML lines) woven into simulated"
          + " hosts through their sensors: FILE[:hosts=N|LIST][:at=TIME|every=D]"
          + "[:technique=T][:parent=explorer|recorded]; hosts=N draws N hosts (default 1),"
          + " hosts=1-50,77 names them; at= a time after the start (5m) or an instant; every="
          + " repeats; technique= for the ground truth (default: the tag of the Sigma rule a"
          + " SigmaHQ regression folder names); parent= what the recording's first processes hang"
          + " under: the user's explorer.exe (default) or stand-ins of their recorded parents;"
          + " repeatable";

  private static final Pattern KEY =
      Pattern.compile(":(?=(?:hosts|at|every|technique|parent)=)", Pattern.CASE_INSENSITIVE);
  private static final Pattern TECHNIQUE = Pattern.compile("T\\d{4}(\\.\\d{3})?");

  private final Map<Path, Recording> read = new HashMap<>();

  /**
   * Parses every spec.
   *
   * @throws UsageException naming {@code --replay}, the spec and what is wrong
   */
  public List<Transplant> parse(List<String> specs) {
    return specs.stream().map(this::parse).toList();
  }

  Transplant parse(String spec) {
    String[] parts = KEY.split(spec);
    if (parts[0].isBlank()) {
      throw usage(spec, "names no file");
    }
    Recording recording = recording(spec, Path.of(parts[0]));
    int hostCount = 1;
    HostSelection hosts = null;
    Duration at = null;
    Instant atInstant = null;
    Duration every = null;
    String technique = null;
    RootParent roots = RootParent.ADOPT;
    for (int i = 1; i < parts.length; i++) {
      int eq = parts[i].indexOf('=');
      String key = parts[i].substring(0, eq).toLowerCase(Locale.ROOT);
      String value = parts[i].substring(eq + 1);
      switch (key) {
        case "hosts" -> {
          if (value.matches("\\d+")) {
            hostCount = Integer.parseInt(value);
            if (hostCount < 1 || hostCount > FleetOptions.MAX_HOSTS) {
              throw usage(spec, "hosts=" + value + " must be 1 to " + FleetOptions.MAX_HOSTS);
            }
          } else {
            try {
              hosts = HostSelection.parse(value);
            } catch (IllegalArgumentException e) {
              throw usage(spec, e.getMessage());
            }
            hostCount = 0;
          }
        }
        case "at" -> {
          try {
            atInstant = Instant.parse(value);
          } catch (DateTimeParseException notInstant) {
            at = duration(spec, "at", value);
          }
        }
        case "every" -> every = duration(spec, "every", value);
        case "technique" -> {
          technique = value.toUpperCase(Locale.ROOT);
          if (!TECHNIQUE.matcher(technique).matches()) {
            throw usage(spec, "technique=" + value + " is not an ATT&CK id like T1059.001");
          }
        }
        case "parent" ->
            roots =
                switch (value.toLowerCase(Locale.ROOT)) {
                  case "explorer" -> RootParent.ADOPT;
                  case "recorded" -> RootParent.RECORDED;
                  default -> throw usage(spec, "parent=" + value + ": explorer or recorded");
                };
        default -> throw new IllegalStateException("KEY matched " + key);
      }
    }
    try {
      return new Transplant(
          recording,
          hostCount,
          hosts,
          new Transplant.Schedule(at, atInstant, every),
          technique,
          roots,
          spec);
    } catch (IllegalArgumentException e) {
      throw usage(spec, e.getMessage());
    }
  }

  private Recording recording(String spec, Path file) {
    if (!Files.isRegularFile(file)) {
      throw usage(spec, "no such file: " + file);
    }
    Recording recording =
        read.computeIfAbsent(
            file.toAbsolutePath().normalize(),
            f -> {
              try {
                return SysmonRecordings.read(file);
              } catch (IOException e) {
                throw new UncheckedIOException(e);
              }
            });
    if (recording.events().isEmpty()) {
      throw usage(spec, "nothing to replay: " + recording.summary());
    }
    return recording;
  }

  private static Duration duration(String spec, String key, String value) {
    try {
      Duration d = Durations.parse(value);
      if (d.isNegative() || (key.equals("every") && d.isZero())) {
        throw usage(spec, key + "=" + value + " must be positive");
      }
      return d;
    } catch (IllegalArgumentException e) {
      throw usage(spec, key + "=" + value + " is not " + Durations.ACCEPTED);
    }
  }

  private static UsageException usage(String spec, String problem) {
    return new UsageException("--replay '" + spec + "': " + problem);
  }

  /**
   * Says what each recording holds, what is not replayed and every problem its reading found,
   * before anything is published: nothing goes out half-read without saying so.
   */
  public static void describe(List<Transplant> transplants, PrintStream out) {
    java.util.Set<String> seen = new java.util.HashSet<>();
    for (Transplant t : transplants) {
      Recording r = t.recording();
      if (!seen.add(r.source())) {
        continue;
      }
      out.println("replay: " + r.summary());
      for (ReadIssue issue : r.issues()) {
        out.println("replay:   " + issue);
      }
      if (r.report().issuesNotKept() > 0) {
        out.println("replay:   ... and " + r.report().issuesNotKept() + " more issues");
      }
    }
  }
}
