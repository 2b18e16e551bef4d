package io.psfleet.agent.cli;

import io.psfleet.agent.fleet.FleetConfig;
import io.psfleet.agent.fleet.HostSelection;
import io.psfleet.agent.fleet.ProfileMix;
import io.psfleet.agent.scenario.ScenarioPlan.CampaignShape;
import io.psfleet.agent.scenario.Scenarios;
import io.psfleet.commandline.Converters;
import io.psfleet.commandline.Durations;
import io.psfleet.commandline.UsageException;
import java.time.Duration;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * The fleet a run simulates, as options shared by {@code simulate}, {@code demo}, {@code
 * detect-test} and {@code cluster}: the same names, meanings and checks everywhere. Each command
 * gives its own {@link Defaults}; help shows them.
 */
public final class FleetOptions {
  /** Largest fleet any command accepts (one simulator JVM holds about 12 KB per host). */
  public static final int MAX_HOSTS = 10_000_000;

  /** Largest campaign; a campaign larger than the fleet spreads over every host. */
  public static final int MAX_CAMPAIGN_HOSTS = 100_000;

  /**
   * The defaults a command starts from.
   *
   * @param scenarios the --scenarios text, e.g. {@code all:1}
   */
  public record Defaults(
      int hosts, Duration duration, double speedup, String scenarios, Duration campaignWindow) {}

  /** {@code ./psfleet simulate}: 100 hosts, 10 minutes, flat out, every scenario once. */
  public static final Defaults SIMULATE =
      new Defaults(100, Duration.ofMinutes(10), 0, "all:1", Duration.ofMinutes(10));

  /** {@code demo}, {@code detect-test} and the cluster: 40 hosts, 20 minutes at 40x. */
  public static final Defaults PIPELINE =
      new Defaults(40, Duration.ofMinutes(20), 40, "all:1", Duration.ofMinutes(5));

  @Option(
      names = "--hosts",
      paramLabel = "N",
      description = "hosts in the whole fleet (all shards together)")
  int hosts;

  @Option(names = "--profiles", paramLabel = "MIX", description = "host kinds in percent")
  String profiles = ProfileMix.DEFAULT.toString();

  @Option(
      names = "--scenario-hosts",
      paramLabel = "HOSTS",
      description = "hosts that may receive scenarios: all or 1-50,77")
  String scenarioHosts = "all";

  @Option(
      names = "--duration",
      paramLabel = "D",
      converter = Converters.PositiveDuration.class,
      description = "simulated time to run, e.g. 90s, 15m, 2h, 1d")
  Duration duration;

  @Option(
      names = "--speedup",
      paramLabel = "X",
      converter = Converters.NonNegativeDouble.class,
      description = "simulated seconds per wall-clock second (0: flat out)")
  double speedup;

  @Option(
      names = "--seed",
      paramLabel = "N",
      description = "seed of everything random; the same seed gives the same stream")
  long seed = 1;

  @Option(
      names = "--scenarios",
      paramLabel = "LIST",
      description =
          "scenarios to inject over the run: name[:count],... or the groups all, attacks,"
              + " lookalikes (what the built-in rules are scored on), library (the technique"
              + " library Sigma rules cover), everything, none; names: ./psfleet simulate"
              + " --list-scenarios")
  String scenarios;

  @Option(
      names = "--campaign-hosts",
      paramLabel = "N",
      description = "hosts one fleet campaign spreads over (the fleet rule fires at 5)")
  int campaignHosts = 6;

  @Option(
      names = "--campaign-window",
      paramLabel = "D",
      converter = Converters.PositiveDuration.class,
      description = "time over which one fleet campaign spreads")
  Duration campaignWindow;

  @Option(
      names = "--replay",
      paramLabel = "FILE[:hosts=N][:at=T]",
      description = TransplantSpecs.DESCRIPTION)
  List<String> replays = new java.util.ArrayList<>();

  /** Picocli's constructor for commands that take the simulator's defaults. */
  public FleetOptions() {
    this(SIMULATE);
  }

  public FleetOptions(Defaults defaults) {
    hosts = defaults.hosts();
    duration = defaults.duration();
    speedup = defaults.speedup();
    scenarios = defaults.scenarios();
    campaignWindow = defaults.campaignWindow();
  }

  public int hosts() {
    return hosts;
  }

  public Duration duration() {
    return duration;
  }

  public double speedup() {
    return speedup;
  }

  /**
   * A builder with these options applied; the boot window is a quarter of the run, at most a
   * minute.
   *
   * @throws UsageException naming the option and value that is wrong
   */
  public FleetConfig.Builder toBuilder(Scenarios known) {
    if (hosts < 1 || hosts > MAX_HOSTS) {
      throw new UsageException("--hosts must be between 1 and " + MAX_HOSTS + ", got " + hosts);
    }
    if (campaignHosts < 1 || campaignHosts > MAX_CAMPAIGN_HOSTS) {
      throw new UsageException(
          "--campaign-hosts must be between 1 and "
              + MAX_CAMPAIGN_HOSTS
              + ", got "
              + campaignHosts);
    }
    Duration oneMinute = Duration.ofMinutes(1);
    Duration quarter = duration.dividedBy(4);
    return FleetConfig.builder()
        .hosts(hosts)
        .seed(seed)
        .duration(duration)
        .bootWindow(quarter.compareTo(oneMinute) < 0 ? quarter : oneMinute)
        .profiles(parse("--profiles", profiles, ProfileMix::parse))
        .scenarios(ScenarioOptions.counts(scenarios, known))
        .scenarioHosts(parse("--scenario-hosts", scenarioHosts, HostSelection::parse))
        .campaign(new CampaignShape(campaignHosts, campaignWindow))
        .speedup(speedup)
        .transplants(new TransplantSpecs().parse(replays));
  }

  /**
   * These options as {@code simulate} arguments, for a command that runs the simulator as a
   * separate process (the cluster's shards): every value as the user gave it or as defaulted here.
   */
  public List<String> simulateArgs() {
    List<String> args = new java.util.ArrayList<>();
    for (String replay : replays) {
      args.add("--replay");
      args.add(replay);
    }
    args.addAll(
        List.of(
            "--hosts", Integer.toString(hosts),
            "--profiles", profiles,
            "--scenario-hosts", scenarioHosts,
            "--duration", Durations.format(duration),
            "--speedup", Double.toString(speedup),
            "--seed", Long.toString(seed),
            "--scenarios", scenarios,
            "--campaign-hosts", Integer.toString(campaignHosts),
            "--campaign-window", Durations.format(campaignWindow)));
    return args;
  }

  /** The options and their values, for a report's configuration table. */
  public java.util.Map<String, String> describe() {
    java.util.Map<String, String> m = new java.util.LinkedHashMap<>();
    List<String> args = simulateArgs();
    for (int i = 0; i < args.size(); i += 2) {
      m.merge(args.get(i).substring(2), args.get(i + 1), (a, b) -> a + " " + b);
    }
    return m;
  }

  static <T> T parse(String option, String text, java.util.function.Function<String, T> parser) {
    try {
      return parser.apply(text);
    } catch (IllegalArgumentException e) {
      throw new UsageException(option + " '" + text + "': " + e.getMessage());
    }
  }
}
