package io.psfleet.cli.cluster;

import io.psfleet.commandline.UsageException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Where the cluster's artefacts are in a built checkout: the daemons' classpaths (official jars as
 * Maven resolved them), the simulator's jar, the job's jar, and the Java that runs them all.
 *
 * @param kafkaLib every third-party runtime jar: the brokers' classpath
 * @param flinkLib the same without Kafka and its connector: the JobManager's and TaskManagers'
 * @param agentJar the simulator ({@code psfleet-agent.jar})
 * @param jobJar the detection job, uploaded to the JobManager ({@code psfleet-jobs.jar})
 * @param java the {@code java} executable, the one running this program
 */
record ClusterHome(Path kafkaLib, Path flinkLib, Path agentJar, Path jobJar, Path java) {

  /** Checks that a checkout at {@code root} is built; says what to run when it is not. */
  static ClusterHome locate(Path root) {
    ClusterHome home =
        new ClusterHome(
            root.resolve("cli/target/lib/kafka"),
            root.resolve("cli/target/lib/flink"),
            root.resolve("agent-sim/target/psfleet-agent.jar"),
            root.resolve("stream-jobs/target/psfleet-jobs.jar"),
            Path.of(System.getProperty("java.home"), "bin", "java"));
    for (Path needed : List.of(home.kafkaLib, home.flinkLib, home.agentJar, home.jobJar)) {
      if (!Files.exists(needed)) {
        throw new UsageException(
            needed
                + " is missing: build the project first (./mvnw -B -DskipTests install);"
                + " ./psfleet builds what is missing when it starts");
      }
    }
    return home;
  }

  /**
   * A command line: this Java, {@code classpath} (a folder of jars or one jar), main class. Its
   * temporary files (native libraries unpacked by compression codecs, among others) go to {@code
   * tmpDir}, inside the run's folder, so a killed process leaves nothing elsewhere.
   */
  List<String> javaCommand(
      Path classpath, Path tmpDir, List<String> jvmOptions, String mainClass, List<String> args) {
    try {
      Files.createDirectories(tmpDir);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException("cannot create " + tmpDir, e);
    }
    List<String> command = new ArrayList<>();
    command.add(java.toString());
    command.add("-Djava.io.tmpdir=" + tmpDir);
    command.addAll(jvmOptions);
    command.add("-cp");
    command.add(
        Files.isDirectory(classpath) ? classpath.resolve("*").toString() : classpath.toString());
    command.add(mainClass);
    command.addAll(args);
    return command;
  }
}
