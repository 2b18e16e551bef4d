package io.psfleet.cli;

import io.psfleet.agent.cli.Options;
import io.psfleet.agent.cli.PsfleetApp;
import io.psfleet.agent.cli.UsageException;
import io.psfleet.bench.JobBenchmark;
import io.psfleet.bench.SimulatorBenchmark;
import io.psfleet.cli.cluster.ClusterCommand;
import io.psfleet.jobs.FleetDetectionJob;
import java.util.Arrays;

/**
 * The entry point behind {@code ./psfleet}: every command of the project. The simulator's own
 * commands run from the agent's jar too, for machines that only simulate.
 */
public final class Psfleet {
  private static final String COMMANDS =
      """
      Usage: ./psfleet <command> [options]

      Commands:
        demo       the whole pipeline here: embedded Kafka, the detection job on Flink, the simulator
        detect-test  run a fleet and attack mix through the pipeline; report recall, false positives, time to alert
        simulate   simulate a fleet and publish its telemetry to Kafka or JSON lines
        job        run the detection job in a local Flink against any Kafka (--help for its options)
        core-demo  boot a few simulated Windows hosts with the sensor and print what it sees
        cluster    the pipeline on a real cluster of separate processes here: 3 Kafka brokers, Flink JobManager + TaskManager, simulator shards
        bench      drive the pipeline with stepped rates until it saturates; figures per step and reference ratios
        bench-sim  print the simulator's generation and publishing figures
        bench-job  print the detection job's throughput (beside a decode-only floor), time to alert, state size

      ./psfleet <command> --help explains a command's options.
      """;

  private Psfleet() {}

  public static void main(String[] args) throws Exception {
    if (args.length == 0
        || args[0].equals("--help")
        || args[0].equals("-h")
        || args[0].equals("help")) {
      System.out.print(COMMANDS);
      System.exit(args.length == 0 ? 2 : 0);
    }
    String command = args[0];
    String[] rest = Arrays.copyOfRange(args, 1, args.length);
    switch (command) {
      case "demo" -> System.exit(demo(rest));
      case "detect-test" -> System.exit(detectTest(rest));
      case "bench" -> System.exit(bench(rest));
      case "cluster" -> System.exit(ClusterCommand.run(rest, System.out, System.err));
      case "job" -> FleetDetectionJob.main(rest);
      case "bench-sim" -> SimulatorBenchmark.main(rest);
      case "bench-job" -> JobBenchmark.main(rest);
      case "simulate", "core-demo" -> System.exit(PsfleetApp.run(args, System.out, System.err));
      default -> {
        System.err.println("psfleet: unknown command '" + command + "'");
        System.err.print(COMMANDS);
        System.exit(2);
      }
    }
  }

  private static int detectTest(String[] args) throws Exception {
    Options options = DetectTestCommand.options();
    try {
      if (!options.parse(args)) {
        System.out.print(options.help());
        return 0;
      }
      return new DetectTestCommand(System.out).run(options);
    } catch (UsageException e) {
      System.err.println("psfleet detect-test: " + e.getMessage());
      return 2;
    }
  }

  private static int bench(String[] args) throws Exception {
    Options options = LoadBenchCommand.options();
    try {
      if (!options.parse(args)) {
        System.out.print(options.help());
        return 0;
      }
      return new LoadBenchCommand(System.out).run(options);
    } catch (UsageException e) {
      System.err.println("psfleet bench: " + e.getMessage());
      return 2;
    }
  }

  private static int demo(String[] args) throws Exception {
    Options options = PipelineDemo.options();
    try {
      if (!options.parse(args)) {
        System.out.print(options.help());
        return 0;
      }
      return new PipelineDemo(System.out).run(options);
    } catch (UsageException e) {
      System.err.println("psfleet demo: " + e.getMessage());
      return 2;
    }
  }
}
