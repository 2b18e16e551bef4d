package io.psfleet.deploy.manifests;

import static io.psfleet.deploy.manifests.Manifests.rel;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import com.fasterxml.jackson.databind.JsonNode;
import io.psfleet.deploy.manifests.Manifests.Doc;
import io.psfleet.jobs.JobConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.kafka.common.Uuid;
import org.junit.jupiter.api.Test;

/**
 * The Kafka clusters: three nodes each broker and controller, three replicas of which two in sync,
 * a transaction limit the job's exactly-once sink stays under, and clients that name the cluster's
 * own listener.
 */
class KafkaClusterManifestsTest {
  /** What the brokers must say for one lost node to stop nothing: property -> value. */
  private static final Map<String, String> REPLICATION =
      Map.of(
          "default.replication.factor", "3",
          "min.insync.replicas", "2",
          "offsets.topic.replication.factor", "3",
          "transaction.state.log.replication.factor", "3",
          "transaction.state.log.min.isr", "2");

  /** Kafka's default transaction.max.timeout.ms. */
  private static final Duration DEFAULT_MAX_TRANSACTION = Duration.ofMinutes(15);

  /** Compose services running apache/kafka as brokers: service -> broker properties. */
  static Map<String, Map<String, String>> composeBrokers() {
    Map<String, Map<String, String>> brokers = new LinkedHashMap<>();
    Manifests.servicesWithImage("apache/kafka")
        .forEach(
            (service, node) -> {
              Map<String, String> env = Manifests.environment(node);
              if (env.containsKey("KAFKA_PROCESS_ROLES")) {
                brokers.put(service, ConfigKeysTest.kafkaEnvToProperties(env));
              }
            });
    return brokers;
  }

  static Doc strimziKafka() {
    return Manifests.theOnly("Kafka");
  }

  @Test
  void composeRunsThreeCombinedNodesThatReplicateEverythingThreeTimes() {
    Map<String, Map<String, String>> brokers = composeBrokers();
    List<String> problems = new ArrayList<>();
    if (brokers.size() != 3) {
      problems.add(brokers.size() + " Kafka nodes " + brokers.keySet() + ", expected 3");
    }
    Set<String> voters = new TreeSet<>();
    brokers.forEach(
        (service, props) -> {
          REPLICATION.forEach(
              (key, value) -> {
                if (!value.equals(props.get(key))) {
                  problems.add(service + ": " + key + "=" + props.get(key) + ", expected " + value);
                }
              });
          if (!"broker,controller".equals(props.get("process.roles"))) {
            problems.add(service + ": process.roles=" + props.get("process.roles"));
          }
          voters.add(props.get("node.id") + "@" + service + ":9093");
        });
    brokers.forEach(
        (service, props) -> {
          Set<String> declared =
              new TreeSet<>(List.of(props.getOrDefault("controller.quorum.voters", "").split(",")));
          if (!declared.equals(voters)) {
            problems.add(
                service + ": controller.quorum.voters " + declared + ", the nodes are " + voters);
          }
        });
    assertThat(problems).as("%s: Kafka nodes", rel(Manifests.COMPOSE)).isEmpty();
  }

  @Test
  void composeClusterIdIsAKafkaUuidSharedByAllNodes() {
    Set<String> ids = new TreeSet<>();
    Manifests.servicesWithImage("apache/kafka")
        .forEach(
            (service, node) -> {
              String id = Manifests.environment(node).get("CLUSTER_ID");
              if (Manifests.environment(node).containsKey("KAFKA_PROCESS_ROLES")) {
                ids.add(String.valueOf(id));
              }
            });
    assertThat(ids).as("%s: CLUSTER_ID of the Kafka nodes", rel(Manifests.COMPOSE)).hasSize(1);
    assertThatCode(() -> Uuid.fromString(ids.iterator().next()))
        .as(
            "%s: CLUSTER_ID %s must be a base64 UUID (kafka-storage.sh random-uuid)",
            rel(Manifests.COMPOSE), ids)
        .doesNotThrowAnyException();
  }

  @Test
  void strimziClusterHasThreeDualRoleNodesOnPersistentStorageAndReplicatesThreeTimes() {
    List<String> problems = new ArrayList<>();
    Doc kafka = strimziKafka();
    int nodes = 0;
    for (Doc pool : Manifests.k8s("KafkaNodePool")) {
      JsonNode spec = pool.node().path("spec");
      String cluster =
          pool.node().path("metadata").path("labels").path("strimzi.io/cluster").asText();
      if (!cluster.equals(kafka.name())) {
        problems.add(
            pool.where()
                + ": label strimzi.io/cluster '"
                + cluster
                + "', the Kafka is "
                + kafka.name());
      }
      Set<String> roles = new TreeSet<>();
      spec.path("roles").forEach(r -> roles.add(r.asText()));
      if (!roles.equals(Set.of("broker", "controller"))) {
        problems.add(pool.where() + ": roles " + roles);
      }
      if (spec.toString().contains("\"ephemeral\"")) {
        problems.add(pool.where() + ": ephemeral storage loses the topics when a pod restarts");
      }
      nodes += spec.path("replicas").asInt();
    }
    if (nodes != 3) {
      problems.add("deploy/k8s: " + nodes + " Kafka nodes in node pools, expected 3");
    }
    JsonNode config = kafka.node().path("spec").path("kafka").path("config");
    REPLICATION.forEach(
        (key, value) -> {
          if (!value.equals(config.path(key).asText())) {
            problems.add(
                kafka.where() + ": config " + key + "=" + config.path(key) + ", expected " + value);
          }
        });
    if (kafka.node().path("spec").path("entityOperator").path("topicOperator").isMissingNode()) {
      problems.add(
          kafka.where() + ": entityOperator.topicOperator is needed for the KafkaTopic resources");
    }
    for (Doc topic : Manifests.k8s("KafkaTopic")) {
      String cluster =
          topic.node().path("metadata").path("labels").path("strimzi.io/cluster").asText();
      if (!cluster.equals(kafka.name())) {
        problems.add(
            topic.where()
                + ": label strimzi.io/cluster '"
                + cluster
                + "', the Kafka is "
                + kafka.name());
      }
    }
    assertThat(problems).as("Strimzi Kafka cluster").isEmpty();
  }

  @Test
  void jobTransactionTimeoutStaysWithinTheBrokersMaximum() {
    List<String> problems = new ArrayList<>();
    JobConfig compose =
        JobConfig.fromArgs(DetectionJobManifestsTest.composeJobArgs().toArray(String[]::new));
    composeBrokers()
        .forEach(
            (service, props) -> {
              Duration max = maxTransaction(props.get("transaction.max.timeout.ms"));
              if (compose.transactionTimeout().compareTo(max) > 0) {
                problems.add(
                    rel(Manifests.COMPOSE)
                        + " ("
                        + service
                        + "): transaction.max.timeout.ms "
                        + max
                        + " below the job's --transaction-timeout "
                        + compose.transactionTimeout());
              }
            });
    JobConfig k8s =
        JobConfig.fromArgs(DetectionJobManifestsTest.k8sJobArgs().toArray(String[]::new));
    JsonNode config = strimziKafka().node().path("spec").path("kafka").path("config");
    Duration max = maxTransaction(config.path("transaction.max.timeout.ms").asText(null));
    if (k8s.transactionTimeout().compareTo(max) > 0) {
      problems.add(
          strimziKafka().where()
              + ": transaction.max.timeout.ms "
              + max
              + " below the job's --transaction-timeout "
              + k8s.transactionTimeout());
    }
    assertThat(problems).as("exactly-once sink against the brokers").isEmpty();
  }

  private static Duration maxTransaction(String millis) {
    return millis == null ? DEFAULT_MAX_TRANSACTION : Duration.ofMillis(Long.parseLong(millis));
  }

  @Test
  void clientsBootstrapFromTheClustersOwnListener() {
    List<String> problems = new ArrayList<>();
    // Compose: every address is a Kafka service at a SASL_SSL listener it advertises under its
    // own name (the in-network client listener, not the host mapping, not the brokers' own).
    Set<String> composeAddresses = composeClientAddresses();
    Map<String, String> composeClients = new LinkedHashMap<>();
    composeClients.put(
        "jobmanager", optionValue(DetectionJobManifestsTest.composeJobArgs(), "--bootstrap"));
    Manifests.servicesBuiltFrom(Manifests.SIMULATOR_DOCKERFILE)
        .forEach(
            (service, node) ->
                composeClients.put(
                    service,
                    optionValue(SimulatorManifestsTest.composeArgs(service, node), "--bootstrap")));
    composeClients.forEach(
        (client, bootstrap) -> {
          for (String address : bootstrap.split(",")) {
            if (!composeAddresses.contains(address)) {
              problems.add(
                  rel(Manifests.COMPOSE)
                      + " ("
                      + client
                      + "): --bootstrap "
                      + address
                      + " is none of "
                      + composeAddresses);
            }
          }
        });
    // Kubernetes: Strimzi's bootstrap service <cluster>-kafka-bootstrap at a client listener's
    // port.
    Doc kafka = strimziKafka();
    Set<String> k8sAddresses = new TreeSet<>();
    kafka
        .node()
        .path("spec")
        .path("kafka")
        .path("listeners")
        .forEach(
            l -> {
              if (l.path("type").asText().equals("internal")) {
                k8sAddresses.add(kafka.name() + "-kafka-bootstrap:" + l.path("port").asInt());
              }
            });
    Map<String, String> k8sClients = new LinkedHashMap<>();
    k8sClients.put(
        DetectionJobManifestsTest.flinkDeployment().where(),
        optionValue(DetectionJobManifestsTest.k8sJobArgs(), "--bootstrap"));
    k8sClients.put(
        SimulatorManifestsTest.simulatorJob().where(),
        optionValue(SimulatorManifestsTest.k8sArgs(0), "--bootstrap"));
    k8sClients.forEach(
        (client, bootstrap) -> {
          for (String address : bootstrap.split(",")) {
            if (!k8sAddresses.contains(address)) {
              problems.add(client + ": --bootstrap " + address + " is none of " + k8sAddresses);
            }
          }
        });
    assertThat(problems).as("bootstrap servers").isEmpty();
  }

  /**
   * host:port of every compose broker listener that clients in the compose network can use:
   * advertised under the service's own name, on SASL_SSL.
   */
  static Set<String> composeClientAddresses() {
    Set<String> addresses = new TreeSet<>();
    composeBrokers()
        .forEach(
            (service, props) -> {
              Map<String, String> protocols = new LinkedHashMap<>();
              for (String entry :
                  props.getOrDefault("listener.security.protocol.map", "").split(",")) {
                String[] kv = entry.split(":");
                if (kv.length == 2) {
                  protocols.put(kv[0].trim(), kv[1].trim());
                }
              }
              for (String listener : props.getOrDefault("advertised.listeners", "").split(",")) {
                int sep = listener.indexOf("://");
                if (sep > 0
                    && "SASL_SSL".equals(protocols.get(listener.substring(0, sep)))
                    && listener.substring(sep + 3).startsWith(service + ":")) {
                  addresses.add(listener.substring(sep + 3));
                }
              }
            });
    return addresses;
  }

  static String optionValue(List<String> args, String option) {
    int at = args.indexOf(option);
    return at >= 0 && at + 1 < args.size() ? args.get(at + 1) : "";
  }
}
