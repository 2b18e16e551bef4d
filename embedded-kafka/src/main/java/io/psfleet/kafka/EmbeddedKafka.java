package io.psfleet.kafka;

import io.psfleet.kafka.security.KafkaSecurity;
import io.psfleet.kafka.security.KafkaUser;
import io.psfleet.kafka.security.Role;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real Kafka broker in this JVM: one KRaft node in combined mode (broker and controller), on
 * loopback ports, with its data in a temporary directory that {@link #close()} deletes.
 *
 * <p>Internal topics have one replica, so transactions and consumer groups work on the single node.
 * {@code transaction.max.timeout.ms} stays at Kafka's default of 15 minutes, as on a real cluster:
 * a Flink exactly-once Kafka sink must set its {@code transaction.timeout.ms} at or below that
 * (Flink's own default of one hour makes every transaction fail). Topics are not created on first
 * use: create them with {@link #createTopics} or {@link TopicSetup}, so a misspelt topic name fails
 * instead of quietly getting one partition.
 *
 * <p>{@link #stop()} and {@link #restart()} take the broker down and bring it back on the same
 * ports with the same data, to test clients against an outage. Start-up takes about 2 s, a restart
 * well under 1 s.
 *
 * <pre>{@code
 * try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
 *   TopicSetup.ensureTopics(kafka.bootstrapServers(), Duration.ofSeconds(10));
 *   ...
 * }
 * }</pre>
 */
public final class EmbeddedKafka implements AutoCloseable {
  /** Kafka's own default for {@code transaction.max.timeout.ms}: 15 minutes. */
  public static final Duration TRANSACTION_MAX_TIMEOUT = Duration.ofMinutes(15);

  private static final int NODE_ID = 1;
  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedKafka.class);

  /**
   * How to start the broker.
   *
   * @param port the client listener's port, or 0 for a free one
   * @param brokerProperties broker settings that override or add to the defaults (see {@link
   *     #defaultBrokerProperties})
   * @param startTimeout how long to wait for the broker to answer after start-up
   * @param deleteOnExit whether a shutdown hook deletes the data if the JVM exits without {@link
   *     #close()}; off for owners that still read the broker while the JVM shuts down (a run
   *     finishing its report after Ctrl-C) and close it themselves
   * @param secure SASL/SCRAM-SHA-512 over TLS on every listener, ACLs enforced, nothing anonymous
   *     (see {@link #clientSettings}); else one plaintext listener open to anyone on loopback
   */
  public record Config(
      int port,
      Map<String, String> brokerProperties,
      Duration startTimeout,
      boolean deleteOnExit,
      boolean secure) {
    public Config {
      if (port < 0 || port > 65_535) {
        throw new IllegalArgumentException(
            "port must be 0 (any free port) or 1-65535, got " + port);
      }
      brokerProperties = Map.copyOf(Objects.requireNonNull(brokerProperties, "brokerProperties"));
      Objects.requireNonNull(startTimeout, "startTimeout");
      if (startTimeout.isNegative() || startTimeout.isZero()) {
        throw new IllegalArgumentException("startTimeout must be positive, got " + startTimeout);
      }
    }

    /** A free port, no extra properties, 30 s to start. */
    public static Config defaults() {
      return new Config(0, Map.of(), Duration.ofSeconds(30), true, false);
    }

    public Config withPort(int newPort) {
      return new Config(newPort, brokerProperties, startTimeout, deleteOnExit, secure);
    }

    /** Adds or overrides one broker property. */
    public Config withBrokerProperty(String key, String value) {
      Map<String, String> merged = new LinkedHashMap<>(brokerProperties);
      merged.put(key, value);
      return new Config(port, merged, startTimeout, deleteOnExit, secure);
    }

    public Config withStartTimeout(Duration newStartTimeout) {
      return new Config(port, brokerProperties, newStartTimeout, deleteOnExit, secure);
    }

    /** The owner closes the broker itself, also when the JVM shuts down: no cleanup hook. */
    public Config withoutDeleteOnExit() {
      return new Config(port, brokerProperties, startTimeout, false, secure);
    }

    /** Authenticated, encrypted and authorised: see {@link EmbeddedKafka#clientSettings}. */
    public Config secured() {
      return new Config(port, brokerProperties, startTimeout, deleteOnExit, true);
    }
  }

  /** The broker's own SCRAM user: a super user, also what topic set-up and provisioning use. */
  public static final String ADMIN_USER = KafkaSecurity.ADMIN_USER;

  private final Config config;
  private final Path directory;
  private final Properties serverProperties;
  private final KafkaSecurity security;
  private final String bootstrapServers;
  private final Thread deleteOnExit;
  private KafkaRaftServer server;
  private boolean closed;

  private EmbeddedKafka(
      Config config, Path directory, Properties serverProperties, KafkaSecurity security) {
    this.config = config;
    this.directory = directory;
    this.serverProperties = serverProperties;
    this.security = security;
    this.bootstrapServers = "127.0.0.1:" + config.port();
    // A test JVM that exits without close() should still leave nothing in the temp directory.
    this.deleteOnExit =
        new Thread(() -> deleteQuietly(directory), "embedded-kafka-cleanup-" + config.port());
  }

  /** Starts a broker on a free port with the default settings. */
  public static EmbeddedKafka start() {
    return start(Config.defaults());
  }

  /** Starts a broker; on failure nothing is left running and the temp directory is removed. */
  public static EmbeddedKafka start(Config config) {
    Objects.requireNonNull(config, "config");
    Path directory;
    try {
      directory = Files.createTempDirectory("psfleet-kafka-");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create a temp directory for the embedded broker", e);
    }
    EmbeddedKafka kafka = null;
    try {
      int port = config.port() == 0 ? freePort() : config.port();
      Config resolved = config.withPort(port);
      int controllerPort = freePort();
      Properties properties = serverProperties(resolved, controllerPort, directory.resolve("data"));
      KafkaSecurity security = null;
      if (resolved.secure()) {
        security = KafkaSecurity.issue(directory.resolve("tls"));
        properties.putAll(security.brokerProperties(Map.of("SASL_SSL", port), controllerPort));
      }
      kafka = new EmbeddedKafka(resolved, directory, properties, security);
      if (config.deleteOnExit()) {
        Runtime.getRuntime().addShutdownHook(kafka.deleteOnExit);
      }
      kafka.format();
      kafka.startServer();
      return kafka;
    } catch (RuntimeException | Error e) {
      if (kafka != null) {
        kafka.close();
      } else {
        deleteQuietly(directory);
      }
      throw e;
    }
  }

  /**
   * The settings every embedded broker starts with, before {@link Config#brokerProperties()} are
   * applied; listeners, node id and directories are added on top and cannot be overridden.
   */
  public static Map<String, String> defaultBrokerProperties() {
    Map<String, String> p = new LinkedHashMap<>();
    p.put("auto.create.topics.enable", "false");
    p.put("num.partitions", "1");
    p.put("default.replication.factor", "1");
    p.put("min.insync.replicas", "1");
    p.put("offsets.topic.replication.factor", "1");
    // Fewer internal partitions than the defaults (50): faster first consumer group and
    // transaction.
    p.put("offsets.topic.num.partitions", "4");
    p.put("transaction.state.log.replication.factor", "1");
    p.put("transaction.state.log.min.isr", "1");
    p.put("transaction.state.log.num.partitions", "4");
    p.put("share.coordinator.state.topic.replication.factor", "1");
    p.put("share.coordinator.state.topic.min.isr", "1");
    p.put(
        "transaction.max.timeout.ms",
        Long.toString(EmbeddedKafka.TRANSACTION_MAX_TIMEOUT.toMillis()));
    p.put("group.initial.rebalance.delay.ms", "0");
    // The log cleaner would otherwise take a 128 MiB dedupe buffer out of the test heap.
    p.put("log.cleaner.dedupe.buffer.size", Integer.toString(2 * 1024 * 1024));
    // Two cores: the defaults (3 network, 8 I/O threads) only add context switches.
    p.put("num.network.threads", "2");
    p.put("num.io.threads", "4");
    return p;
  }

  /** Whether this broker authenticates, encrypts and authorises ({@link Config#secured()}). */
  public boolean isSecure() {
    return security != null;
  }

  /**
   * Kafka client settings to connect as {@code user}: SASL/SCRAM-SHA-512 over TLS trusting only
   * this run's CA; none for a plaintext broker (bootstrap servers not included).
   */
  public Map<String, Object> clientSettings(String user, String password) {
    return security == null ? Map.of() : security.clientSettings(new KafkaUser(user, password));
  }

  /** {@link #clientSettings} of the super user {@link #ADMIN_USER}. */
  public Map<String, Object> adminSettings() {
    return security == null ? Map.of() : security.clientSettings(security.admin());
  }

  /** The super user {@link #ADMIN_USER} of a secure broker (topic set-up, whole-pipeline runs). */
  public KafkaUser admin() {
    return security().admin();
  }

  /**
   * Creates the SCRAM user of {@code role} with a new random password and grants it exactly the
   * role's ACLs ({@link Role#acls}); {@code group} is its consumer group and transactional-id
   * prefix. Only on a secure broker.
   */
  public KafkaUser provision(Role role, String group) {
    return security().provision(bootstrapServers, role, group);
  }

  private KafkaSecurity security() {
    if (security == null) {
      throw new IllegalStateException("embedded Kafka at " + bootstrapServers + " is not secure");
    }
    return security;
  }

  /**
   * Writes {@code user}'s {@link #clientSettings} to {@code file} as a Kafka client properties
   * file, the form every psfleet command takes with {@code --kafka-config}; readable by the owner
   * only, since it holds the password.
   */
  public Path writeClientProperties(KafkaUser user, Path file) {
    return security().writeClientProperties(user, file, bootstrapServers);
  }

  /** {@code 127.0.0.1:port} of the client listener. */
  public String bootstrapServers() {
    return bootstrapServers;
  }

  /** The client listener's port: the same across {@link #restart()}. */
  public int port() {
    return config.port();
  }

  /** Where the broker keeps its data; deleted by {@link #close()}. */
  public Path directory() {
    return directory;
  }

  public synchronized boolean isRunning() {
    return server != null;
  }

  /**
   * Creates the topics that do not exist yet (replication factor 1 here unless a topic says
   * otherwise); existing topics are left as they are.
   */
  public void createTopics(Collection<NewTopic> topics) {
    TopicSetup.ensureTopics(bootstrapServers, adminSettings(), Duration.ofSeconds(30), topics);
  }

  /** Creates topics with the given partition count and replication factor 1, if missing. */
  public void createTopics(int partitions, String... names) {
    createTopics(
        Arrays.stream(names).map(name -> new NewTopic(name, partitions, (short) 1)).toList());
  }

  /**
   * Shuts the broker down and keeps its data: clients see it as unreachable until {@link
   * #restart()}.
   */
  public synchronized void stop() {
    if (server == null) {
      return;
    }
    KafkaRaftServer stopping = server;
    server = null;
    stopping.shutdown();
    stopping.awaitShutdown();
  }

  /** Starts a stopped broker again on the same ports with the same data. */
  public synchronized void restart() {
    if (closed) {
      throw new IllegalStateException("embedded Kafka at " + bootstrapServers + " is closed");
    }
    if (server == null) {
      startServer();
    }
  }

  /** Shuts the broker down and deletes its directory. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      stop();
    } finally {
      deleteQuietly(directory);
      try {
        Runtime.getRuntime().removeShutdownHook(deleteOnExit);
      } catch (IllegalStateException | IllegalArgumentException e) {
        // The JVM is already shutting down, or the hook was never registered: nothing to undo.
      }
    }
  }

  @Override
  public String toString() {
    return "EmbeddedKafka[" + bootstrapServers + ", " + directory + "]";
  }

  private static Properties serverProperties(Config config, int controllerPort, Path dataDir) {
    Properties p = new Properties();
    p.putAll(defaultBrokerProperties());
    p.putAll(config.brokerProperties());
    p.put("process.roles", "broker,controller");
    p.put("node.id", Integer.toString(NODE_ID));
    p.put("controller.quorum.voters", NODE_ID + "@127.0.0.1:" + controllerPort);
    p.put("controller.listener.names", "CONTROLLER");
    p.put("inter.broker.listener.name", "PLAINTEXT");
    p.put(
        "listeners",
        "PLAINTEXT://127.0.0.1:" + config.port() + ",CONTROLLER://127.0.0.1:" + controllerPort);
    p.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + config.port());
    p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
    p.put("log.dirs", dataDir.toString());
    return p;
  }

  private void format() {
    Path file = directory.resolve("server.properties");
    try (OutputStream out = Files.newOutputStream(file)) {
      serverProperties.store(out, "psfleet embedded Kafka");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
    ByteArrayOutputStream output = new ByteArrayOutputStream();
    int status;
    try (PrintStream print = new PrintStream(output, true, StandardCharsets.UTF_8)) {
      String clusterId = Uuid.randomUuid().toString();
      List<String> args =
          new ArrayList<>(List.of("format", "-t", clusterId, "-c", file.toString()));
      if (security != null) {
        args.addAll(security.formatArguments());
      }
      status = StorageTool.execute(args.toArray(new String[0]), print);
    } catch (RuntimeException e) {
      throw new IllegalStateException(
          "formatting the embedded broker's storage failed: "
              + output.toString(StandardCharsets.UTF_8),
          e);
    }
    if (status != 0) {
      throw new IllegalStateException(
          "formatting the embedded broker's storage failed (status "
              + status
              + "): "
              + output.toString(StandardCharsets.UTF_8));
    }
  }

  private synchronized void startServer() {
    KafkaRaftServer starting =
        new KafkaRaftServer(KafkaConfig.fromProps(serverProperties, false), Time.SYSTEM);
    try {
      starting.startup();
      awaitAnswer();
    } catch (RuntimeException | Error e) {
      try {
        starting.shutdown();
        starting.awaitShutdown();
      } catch (RuntimeException suppressed) {
        e.addSuppressed(suppressed);
      }
      throw e;
    }
    server = starting;
  }

  private void awaitAnswer() {
    long timeoutMs = config.startTimeout().toMillis();
    Map<String, Object> adminConfig = new LinkedHashMap<>(adminSettings());
    adminConfig.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    adminConfig.put(AdminClientConfig.CLIENT_ID_CONFIG, "embedded-kafka-start");
    adminConfig.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) timeoutMs);
    adminConfig.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) Math.min(timeoutMs, 5_000));
    adminConfig.put(AdminClientConfig.RETRY_BACKOFF_MS_CONFIG, 50);
    try (Admin admin = Admin.create(adminConfig)) {
      int nodes =
          admin
              .describeCluster(new DescribeClusterOptions().timeoutMs((int) timeoutMs))
              .nodes()
              .get(timeoutMs + 1_000, TimeUnit.MILLISECONDS)
              .size();
      if (nodes != 1) {
        throw new IllegalStateException(
            "embedded Kafka at " + bootstrapServers + " reports " + nodes + " nodes, expected 1");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for embedded Kafka", e);
    } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
      throw new IllegalStateException(
          "embedded Kafka at "
              + bootstrapServers
              + " did not answer within "
              + config.startTimeout()
              + ": "
              + (e.getCause() != null ? e.getCause() : e),
          e);
    }
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("no free loopback port", e);
    }
  }

  private static void deleteQuietly(Path root) {
    if (!Files.exists(root)) {
      return;
    }
    try {
      Files.walkFileTree(
          root,
          new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs)
                throws IOException {
              deleteIfExists(file);
              return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException e) {
              // Removed while we walked (a segment the broker deleted): nothing left to do.
              return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
              deleteIfExists(dir);
              return FileVisitResult.CONTINUE;
            }
          });
    } catch (IOException e) {
      // Best effort: a leftover temp directory must not fail the test that used the broker.
      LOG.warn("Could not delete the embedded broker's directory {}: {}", root, e.toString());
    }
  }

  private static void deleteIfExists(Path path) throws IOException {
    try {
      Files.deleteIfExists(path);
    } catch (NoSuchFileException e) {
      // Already gone.
    }
  }
}
