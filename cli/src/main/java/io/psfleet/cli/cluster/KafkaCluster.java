package io.psfleet.cli.cluster;

import io.psfleet.kafka.EmbeddedKafka;
import io.psfleet.kafka.TopicSetup;
import io.psfleet.kafka.security.KafkaSecurity;
import io.psfleet.kafka.security.KafkaUser;
import io.psfleet.kafka.security.Role;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import kafka.tools.StorageTool;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;

/**
 * A Kafka cluster of separate broker JVMs in KRaft mode on loopback: every node is broker and
 * controller (a three-voter quorum survives one lost node), the project's topics are replicated to
 * every node and need {@link #MIN_IN_SYNC_REPLICAS} copies for a write, so one broker can die
 * without losing an acknowledged record or stopping producers.
 *
 * <p>Secure ({@link KafkaSecurity}): a CA and certificates made for the run, SASL/SCRAM-SHA-512
 * over TLS on every client listener, mutual TLS between the controllers, ACLs enforced, no
 * plaintext listener. Optionally every node has a second client listener, {@code RELAY}, that it
 * advertises at another port: clients that bootstrap there reach the brokers only through a {@link
 * ShardLink}, which can cut them off.
 */
final class KafkaCluster {
  static final int MIN_IN_SYNC_REPLICAS = 2;

  private static final String RELAY = "RELAY";

  /**
   * One node: its id, client and controller ports, the port of its relay listener and the port it
   * advertises for it (both 0 without a relay), and directory (data, logs, temp files).
   */
  record Node(int id, int port, int controllerPort, int relayPort, int relayAdvertised, Path dir) {
    String address() {
      return Loopback.ADDRESS + ":" + port;
    }
  }

  private final List<Node> nodes;
  private final KafkaSecurity security;
  private final List<Daemon> daemons = new ArrayList<>();

  private KafkaCluster(List<Node> nodes, KafkaSecurity security) {
    this.nodes = nodes;
    this.security = security;
  }

  /**
   * Formats and starts {@code size} nodes under {@code dir}, waits until every broker has joined,
   * and creates the project's topics (replication factor {@code size}).
   *
   * @param secure authenticated, encrypted, authorised: certificates are issued into {@code
   *     dir/tls}
   * @param relay whether every node gets a {@code RELAY} listener (see {@link #relayRoutes()})
   */
  static KafkaCluster start(
      ClusterHome home,
      ProcessLedger ledger,
      Path dir,
      int size,
      boolean secure,
      boolean relay,
      Path log4j,
      Duration timeout)
      throws InterruptedException {
    List<Node> nodes = new ArrayList<>();
    for (int id = 1; id <= size; id++) {
      nodes.add(
          new Node(
              id,
              Loopback.freePort(),
              Loopback.freePort(),
              relay ? Loopback.freePort() : 0,
              relay ? Loopback.freePort() : 0,
              dir.resolve("kafka-" + id)));
    }
    KafkaCluster cluster =
        new KafkaCluster(
            List.copyOf(nodes), secure ? KafkaSecurity.issue(dir.resolve("tls")) : null);
    try {
      String clusterId = Uuid.randomUuid().toString();
      for (Node node : nodes) {
        Path properties = cluster.writeProperties(node);
        cluster.format(clusterId, properties);
        cluster.daemons.add(
            Daemon.start(
                "kafka-" + node.id(),
                home.javaCommand(
                    home.kafkaLib(),
                    node.dir().resolve("tmp"),
                    List.of(
                        "-Xms256m",
                        "-Xmx512m",
                        "-Dlog.file=" + node.dir().resolve("broker.log"),
                        "-Dlog4j2.configurationFile=" + log4j),
                    "kafka.Kafka",
                    List.of(properties.toString())),
                node.dir().resolve("broker.out"),
                ledger));
      }
      cluster.awaitBrokers(size, timeout);
      TopicSetup.ensureTopics(
          cluster.bootstrap(), cluster.adminSettings(), timeout, TopicSetup.projectTopics());
      cluster.checkTopicReplication(timeout);
    } catch (RuntimeException | InterruptedException e) {
      // Whatever did come up must not outlive the failure.
      cluster.stop(Duration.ofSeconds(5));
      throw e;
    }
    return cluster;
  }

  String bootstrap() {
    return nodes.stream().map(Node::address).collect(Collectors.joining(","));
  }

  List<Daemon> daemons() {
    return List.copyOf(daemons);
  }

  boolean secure() {
    return security != null;
  }

  /** The relay listeners' advertised addresses: where clients behind a {@link ShardLink} start. */
  String relayBootstrap() {
    return nodes.stream()
        .map(n -> Loopback.ADDRESS + ":" + n.relayAdvertised())
        .collect(Collectors.joining(","));
  }

  /** Advertised port to listening port of every node's relay listener: what a link forwards. */
  Map<Integer, Integer> relayRoutes() {
    Map<Integer, Integer> routes = new LinkedHashMap<>();
    nodes.forEach(n -> routes.put(n.relayAdvertised(), n.relayPort()));
    return routes;
  }

  /**
   * The client settings of the super user (topic set-up, the verdict's reads of telemetry and
   * ground truth); none on a plaintext cluster.
   */
  Map<String, Object> adminSettings() {
    return security == null ? Map.of() : security.clientSettings(security.admin());
  }

  /**
   * Creates {@code role}'s user with its ACLs and writes its client properties to {@code file}; on
   * a plaintext cluster an empty file (the clients' defaults), so every part is started the same
   * way.
   */
  Path clientProperties(Role role, String group, Path file) {
    try {
      Files.createDirectories(file.getParent());
      if (security == null) {
        return Files.writeString(file, "# plaintext cluster: no client settings needed\n");
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
    KafkaUser user = security.provision(bootstrap(), role, group);
    return security.writeClientProperties(user, file, bootstrap());
  }

  /** The super user's client properties in {@code file} (secure clusters only). */
  Path adminProperties(Path file) {
    return security.writeClientProperties(security.admin(), file, bootstrap());
  }

  /** Kills node {@code id} with SIGKILL: no controlled shutdown, no leader hand-over. */
  Daemon kill(int id) throws InterruptedException {
    Daemon daemon = daemons.get(id - 1);
    daemon.kill();
    return daemon;
  }

  void stop(Duration grace) throws InterruptedException {
    Daemon.stopAll(daemons, grace);
  }

  private Path writeProperties(Node node) {
    Properties p = new Properties();
    p.putAll(EmbeddedKafka.defaultBrokerProperties());
    String copies = Integer.toString(nodes.size());
    String minIsr = Integer.toString(Math.min(MIN_IN_SYNC_REPLICAS, nodes.size()));
    p.put("default.replication.factor", copies);
    p.put("min.insync.replicas", minIsr);
    p.put("offsets.topic.replication.factor", copies);
    p.put("transaction.state.log.replication.factor", copies);
    p.put("transaction.state.log.min.isr", minIsr);
    p.put("share.coordinator.state.topic.replication.factor", copies);
    p.put("share.coordinator.state.topic.min.isr", minIsr);
    p.put("process.roles", "broker,controller");
    p.put("node.id", Integer.toString(node.id()));
    p.put(
        "controller.quorum.voters",
        nodes.stream()
            .map(n -> n.id() + "@127.0.0.1:" + n.controllerPort())
            .collect(Collectors.joining(",")));
    p.put("controller.listener.names", "CONTROLLER");
    Map<String, Integer> clients = new LinkedHashMap<>();
    clients.put(security == null ? "PLAINTEXT" : "SASL_SSL", node.port());
    if (node.relayPort() > 0) {
      clients.put(RELAY, node.relayPort());
    }
    Map<String, Integer> advertised = Map.of(RELAY, node.relayAdvertised());
    if (security != null) {
      p.putAll(security.brokerProperties(clients, advertised, node.controllerPort()));
    } else {
      List<String> listeners = new ArrayList<>();
      List<String> announced = new ArrayList<>();
      List<String> protocols = new ArrayList<>();
      clients.forEach(
          (name, port) -> {
            listeners.add(name + "://127.0.0.1:" + port);
            announced.add(name + "://127.0.0.1:" + advertised.getOrDefault(name, port));
            protocols.add(name + ":PLAINTEXT");
          });
      p.put("inter.broker.listener.name", "PLAINTEXT");
      p.put(
          "listeners",
          String.join(",", listeners) + ",CONTROLLER://127.0.0.1:" + node.controllerPort());
      p.put("advertised.listeners", String.join(",", announced));
      p.put(
          "listener.security.protocol.map", String.join(",", protocols) + ",CONTROLLER:PLAINTEXT");
    }
    p.put("log.dirs", node.dir().resolve("data").toString());
    Path file = node.dir().resolve("server.properties");
    try {
      Files.createDirectories(node.dir());
      try (OutputStream out = Files.newOutputStream(file)) {
        p.store(out, "psfleet cluster, Kafka node " + node.id());
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
    return file;
  }

  private void format(String clusterId, Path properties) {
    ByteArrayOutputStream output = new ByteArrayOutputStream();
    int status;
    List<String> args =
        new ArrayList<>(List.of("format", "-t", clusterId, "-c", properties.toString()));
    if (security != null) {
      args.addAll(security.formatArguments());
    }
    try (PrintStream print = new PrintStream(output, true, StandardCharsets.UTF_8)) {
      status = StorageTool.execute(args.toArray(String[]::new), print);
    }
    if (status != 0) {
      throw new ClusterException(
          "formatting the storage of "
              + properties.getParent()
              + " failed (status "
              + status
              + "): "
              + output.toString(StandardCharsets.UTF_8));
    }
  }

  private void awaitBrokers(int expected, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    String last = "no answer yet";
    try (Admin admin = admin()) {
      while (System.nanoTime() < deadline) {
        for (Daemon daemon : daemons) {
          if (!daemon.alive()) {
            throw new ClusterException(
                daemon
                    + " exited while the Kafka cluster started; the end of "
                    + daemon.log()
                    + ":\n"
                    + daemon.tail(20));
          }
        }
        try {
          int joined =
              admin
                  .describeCluster(new DescribeClusterOptions().timeoutMs(2_000))
                  .nodes()
                  .get(3, TimeUnit.SECONDS)
                  .size();
          if (joined == expected) {
            return;
          }
          last = joined + " of " + expected + " brokers joined";
        } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
          last = String.valueOf(e.getCause() != null ? e.getCause() : e);
        }
        TimeUnit.MILLISECONDS.sleep(250);
      }
    }
    throw new ClusterException(
        "the Kafka cluster at "
            + bootstrap()
            + " did not come up within "
            + timeout
            + " ("
            + last
            + "); broker logs are in "
            + nodes.get(0).dir().getParent());
  }

  /** Fails unless every project topic has a replica on every node and the wanted min ISR. */
  private void checkTopicReplication(Duration timeout) throws InterruptedException {
    Collection<String> topics = TopicSetup.projectTopics().stream().map(t -> t.name()).toList();
    try (Admin admin = admin()) {
      Map<String, TopicDescription> described =
          admin
              .describeTopics(topics)
              .allTopicNames()
              .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      for (TopicDescription topic : described.values()) {
        topic
            .partitions()
            .forEach(
                p -> {
                  if (p.replicas().size() != nodes.size()) {
                    throw new ClusterException(
                        topic.name()
                            + " partition "
                            + p.partition()
                            + " has "
                            + p.replicas().size()
                            + " replicas, expected "
                            + nodes.size()
                            + ": was it created before this cluster?");
                  }
                });
      }
      Map<ConfigResource, Config> configs =
          admin
              .describeConfigs(
                  topics.stream()
                      .map(t -> new ConfigResource(ConfigResource.Type.TOPIC, t))
                      .toList())
              .all()
              .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      String wanted = Integer.toString(Math.min(MIN_IN_SYNC_REPLICAS, nodes.size()));
      configs.forEach(
          (topic, config) -> {
            String minIsr = config.get(TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG).value();
            if (!wanted.equals(minIsr)) {
              throw new ClusterException(
                  topic.name() + " has min.insync.replicas " + minIsr + ", expected " + wanted);
            }
          });
    } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
      throw new ClusterException(
          "cannot describe the project's topics on " + bootstrap() + ": " + e.getCause(), e);
    }
  }

  /** An admin client of the super user (any client on a plaintext cluster). */
  Admin admin() {
    Map<String, Object> settings = new LinkedHashMap<>(adminSettings());
    settings.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap());
    settings.put(AdminClientConfig.CLIENT_ID_CONFIG, "psfleet-cluster");
    settings.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000);
    settings.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 10_000);
    return Admin.create(settings);
  }
}
