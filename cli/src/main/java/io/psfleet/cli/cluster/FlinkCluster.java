package io.psfleet.cli.cluster;

import io.psfleet.harness.FlinkRest;
import io.psfleet.harness.FlinkRestException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.apache.flink.configuration.BlobServerOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.CoreOptions;
import org.apache.flink.configuration.HeartbeatManagerOptions;
import org.apache.flink.configuration.JobManagerOptions;
import org.apache.flink.configuration.MemorySize;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.configuration.WebOptions;
import org.apache.flink.runtime.clusterframework.TaskExecutorProcessSpec;
import org.apache.flink.runtime.clusterframework.TaskExecutorProcessUtils;
import org.apache.flink.runtime.entrypoint.StandaloneSessionClusterEntrypoint;
import org.apache.flink.runtime.jobmanager.JobManagerProcessSpec;
import org.apache.flink.runtime.jobmanager.JobManagerProcessUtils;
import org.apache.flink.runtime.taskexecutor.TaskManagerRunner;
import org.apache.flink.runtime.util.config.memory.ProcessMemoryUtils;

/**
 * A standalone Flink session cluster on loopback: one JobManager ({@link
 * StandaloneSessionClusterEntrypoint}) and TaskManagers ({@link TaskManagerRunner}) as separate
 * JVMs, started the way Flink's own scripts start them: a {@code config.yaml}, JVM memory flags and
 * the TaskManagers' memory settings derived from it by Flink's own process-spec code.
 */
final class FlinkCluster {
  /**
   * What Flink's distribution passes to Java 17 (its default {@code env.java.opts.all}): the
   * runtime reflects into these packages.
   */
  private static final List<String> JAVA_17_OPENS =
      List.of(
          "--add-exports=java.base/sun.net.util=ALL-UNNAMED",
          "--add-exports=java.rmi/sun.rmi.registry=ALL-UNNAMED",
          "--add-opens=java.base/java.lang=ALL-UNNAMED",
          "--add-opens=java.base/java.net=ALL-UNNAMED",
          "--add-opens=java.base/java.io=ALL-UNNAMED",
          "--add-opens=java.base/java.nio=ALL-UNNAMED",
          "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
          "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED",
          "--add-opens=java.base/java.text=ALL-UNNAMED",
          "--add-opens=java.base/java.time=ALL-UNNAMED",
          "--add-opens=java.base/java.util=ALL-UNNAMED",
          "--add-opens=java.base/java.util.concurrent=ALL-UNNAMED",
          "--add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED",
          "--add-opens=java.base/java.util.concurrent.locks=ALL-UNNAMED");

  private final FlinkRest rest;
  private final Path dir;
  private final List<Daemon> daemons = new CopyOnWriteArrayList<>();
  private final ClusterHome home;
  private final ProcessLedger ledger;
  private final Path log4j;
  private List<String> tmJvm = List.of();
  private List<String> tmArgs = List.of();
  private int taskManagersStarted;

  private FlinkCluster(
      FlinkRest rest, Path dir, ClusterHome home, ProcessLedger ledger, Path log4j) {
    this.rest = rest;
    this.dir = dir;
    this.home = home;
    this.ledger = ledger;
    this.log4j = log4j;
  }

  /**
   * Starts a JobManager and {@code taskManagers} TaskManagers with {@code slots} slots each, and
   * waits until the JobManager reports every TaskManager registered.
   */
  static FlinkCluster start(
      ClusterHome home,
      ProcessLedger ledger,
      Path dir,
      int taskManagers,
      int slots,
      Path log4j,
      Duration timeout)
      throws InterruptedException {
    int restPort = Loopback.freePort();
    Configuration config = configuration(dir, restPort, slots);
    Path confDir = writeConfig(dir.resolve("conf"), config);
    FlinkCluster cluster =
        new FlinkCluster(
            new FlinkRest(URI.create("http://" + Loopback.ADDRESS + ":" + restPort)),
            dir,
            home,
            ledger,
            log4j);

    try {
      JobManagerProcessSpec jm = JobManagerProcessUtils.processSpecFromConfig(config);
      List<String> jmJvm = new ArrayList<>(JAVA_17_OPENS);
      jmJvm.addAll(split(JobManagerProcessUtils.generateJvmParametersStr(jm, config)));
      cluster.daemons.add(
          Daemon.start(
              "jobmanager",
              home.javaCommand(
                  home.flinkLib(),
                  dir.resolve("tmp"),
                  withLogging(jmJvm, dir.resolve("logs/jobmanager.log"), log4j),
                  StandaloneSessionClusterEntrypoint.class.getName(),
                  List.of("--configDir", confDir.toString())),
              dir.resolve("logs/jobmanager.out"),
              ledger));

      TaskExecutorProcessSpec tm = TaskExecutorProcessUtils.processSpecFromConfig(config);
      List<String> jvm = new ArrayList<>(JAVA_17_OPENS);
      jvm.addAll(split(ProcessMemoryUtils.generateJvmParametersStr(tm)));
      List<String> args = new ArrayList<>(List.of("--configDir", confDir.toString()));
      // The TaskManager refuses to start without its memory pools given explicitly, as
      // taskmanager.sh gives them: derived here from the same configuration.
      args.addAll(split(TaskExecutorProcessUtils.generateDynamicConfigsStr(tm)));
      cluster.tmJvm = List.copyOf(jvm);
      cluster.tmArgs = List.copyOf(args);
      for (int i = 1; i <= taskManagers; i++) {
        cluster.startTaskManager();
      }
      cluster.awaitTaskManagers(taskManagers, timeout);
    } catch (RuntimeException | InterruptedException e) {
      // Whatever did come up must not outlive the failure.
      cluster.stop(Duration.ofSeconds(5));
      throw e;
    }
    return cluster;
  }

  FlinkRest rest() {
    return rest;
  }

  List<Daemon> daemons() {
    return List.copyOf(daemons);
  }

  void stop(Duration grace) throws InterruptedException {
    Daemon.stopAll(daemons, grace);
  }

  /**
   * Kills TaskManager {@code id} (1 = the first started) with SIGKILL, as a crashed machine, and
   * starts a new one in its place, as a supervisor (Kubernetes, systemd) would: the job's tasks on
   * it fail, and it restarts from its last checkpoint once the new TaskManager offers its slots.
   *
   * @return the killed TaskManager and its replacement
   */
  List<Daemon> killTaskManager(int id) throws InterruptedException {
    Daemon victim =
        daemons.stream()
            .filter(d -> d.name().equals("taskmanager-" + id))
            .findFirst()
            .orElseThrow(() -> new ClusterException("no TaskManager " + id + " to kill"));
    victim.kill();
    daemons.remove(victim);
    return List.of(victim, startTaskManager());
  }

  private Daemon startTaskManager() {
    String name = "taskmanager-" + ++taskManagersStarted;
    Daemon daemon =
        Daemon.start(
            name,
            home.javaCommand(
                home.flinkLib(),
                dir.resolve("tmp"),
                withLogging(tmJvm, dir.resolve("logs/" + name + ".log"), log4j),
                TaskManagerRunner.class.getName(),
                tmArgs),
            dir.resolve("logs/" + name + ".out"),
            ledger);
    daemons.add(daemon);
    return daemon;
  }

  private static Configuration configuration(Path dir, int restPort, int slots) {
    Configuration c = new Configuration();
    c.set(JobManagerOptions.ADDRESS, Loopback.ADDRESS);
    c.set(JobManagerOptions.PORT, Loopback.freePort());
    c.set(JobManagerOptions.BIND_HOST, Loopback.ADDRESS);
    c.set(JobManagerOptions.TOTAL_PROCESS_MEMORY, MemorySize.parse("768m"));
    c.set(TaskManagerOptions.HOST, Loopback.ADDRESS);
    c.set(TaskManagerOptions.BIND_HOST, Loopback.ADDRESS);
    c.set(TaskManagerOptions.NUM_TASK_SLOTS, slots);
    c.set(TaskManagerOptions.TOTAL_PROCESS_MEMORY, MemorySize.parse("1536m"));
    c.set(RestOptions.ADDRESS, Loopback.ADDRESS);
    c.set(RestOptions.BIND_ADDRESS, Loopback.ADDRESS);
    c.set(RestOptions.PORT, restPort);
    c.set(BlobServerOptions.PORT, Integer.toString(Loopback.freePort()));
    c.set(WebOptions.UPLOAD_DIR, dir.resolve("web-upload").toString());
    c.set(CoreOptions.TMP_DIRS, dir.resolve("tmp").toString());
    c.set(CoreOptions.DEFAULT_PARALLELISM, slots);
    // A TaskManager that dies is noticed within seconds, not Flink's default 50 s: on loopback
    // a missed heartbeat is a dead process, not a slow network.
    c.set(HeartbeatManagerOptions.HEARTBEAT_INTERVAL, Duration.ofSeconds(2));
    c.set(HeartbeatManagerOptions.HEARTBEAT_TIMEOUT, Duration.ofSeconds(15));
    return c;
  }

  /** Flink 2 reads {@code config.yaml}; flat keys are valid YAML there. */
  private static Path writeConfig(Path confDir, Configuration config) {
    Map<String, String> entries = new TreeMap<>(config.toMap());
    StringBuilder yaml = new StringBuilder("# psfleet cluster: written by ./psfleet cluster\n");
    entries.forEach((key, value) -> yaml.append(key).append(": ").append(value).append('\n'));
    try {
      Files.createDirectories(confDir);
      Files.writeString(confDir.resolve("config.yaml"), yaml, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + confDir.resolve("config.yaml"), e);
    }
    return confDir;
  }

  private static List<String> withLogging(List<String> jvm, Path logFile, Path log4j) {
    List<String> all = new ArrayList<>(jvm);
    all.add("-Dlog.file=" + logFile);
    all.add("-Dlog4j2.configurationFile=" + log4j);
    return all;
  }

  private static List<String> split(String flags) {
    return Arrays.stream(flags.trim().split("\\s+")).filter(s -> !s.isEmpty()).toList();
  }

  private void awaitTaskManagers(int expected, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    String last = "no answer yet";
    while (System.nanoTime() < deadline) {
      for (Daemon daemon : daemons) {
        if (!daemon.alive()) {
          throw new ClusterException(
              daemon
                  + " exited while the Flink cluster started; the end of its log "
                  + daemon.log()
                  + ":\n"
                  + daemon.tail(20));
        }
      }
      try {
        int registered = rest.overview().path("taskmanagers").asInt();
        if (registered == expected) {
          return;
        }
        last = registered + " of " + expected + " TaskManagers registered";
      } catch (IOException | ClusterException | FlinkRestException e) {
        // Not listening yet, or answering 503 while it elects its leader.
        last =
            "the JobManager's REST endpoint "
                + rest.base()
                + " is not ready ("
                + e.getMessage()
                + ")";
      }
      TimeUnit.MILLISECONDS.sleep(500);
    }
    throw new ClusterException(
        "the Flink cluster did not come up within "
            + timeout
            + ": "
            + last
            + "; logs are in "
            + dir.resolve("logs"));
  }
}
