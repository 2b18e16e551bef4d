package io.psfleet.deploy.manifests;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.psfleet.commandline.KafkaClientConfig;
import io.psfleet.deploy.manifests.Manifests.Doc;
import io.psfleet.kafka.security.Role;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.kafka.common.acl.AclBinding;
import org.junit.jupiter.api.Test;

/**
 * Kubernetes runs Kafka as {@code ./psfleet cluster --secure} does: SASL/SCRAM-SHA-512 over TLS on
 * every client listener, no plaintext one, ACLs enforced, and one Strimzi {@code KafkaUser} per
 * principal holding exactly the ACLs the code grants that principal ({@link Role}); every pod that
 * talks to Kafka authenticates as its own principal.
 */
class KafkaSecurityManifestsTest {
  private static final String USER_DIR = "/etc/psfleet/kafka-user";
  private static final String CA_DIR = "/etc/psfleet/kafka-ca";

  @Test
  void strimziListenersAllAuthenticateWithScramOverTlsAndAuthorisationIsOn() {
    Doc kafka = KafkaClusterManifestsTest.strimziKafka();
    JsonNode spec = kafka.node().path("spec").path("kafka");
    List<String> problems = new ArrayList<>();
    assertThat(spec.path("listeners")).as("%s: listeners", kafka.where()).isNotEmpty();
    for (JsonNode l : spec.path("listeners")) {
      String name = l.path("name").asText();
      if (!l.path("tls").asBoolean()) {
        problems.add("listener " + name + " is not TLS");
      }
      if (!l.path("authentication").path("type").asText().equals("scram-sha-512")) {
        problems.add("listener " + name + " authentication is '" + l.path("authentication") + "'");
      }
    }
    if (!spec.path("authorization").path("type").asText().equals("simple")) {
      problems.add("authorization is '" + spec.path("authorization") + "', expected simple");
    }
    if (spec.path("config").path("allow.everyone.if.no.acl.found").asBoolean(false)) {
      problems.add("allow.everyone.if.no.acl.found is true");
    }
    assertThat(problems).as("%s: Kafka security", kafka.where()).isEmpty();
  }

  @Test
  void everyPrincipalIsAKafkaUserWithExactlyTheAclsOfItsRole() {
    String jobGroup =
        DetectionJobManifestsTest.parse(DetectionJobManifestsTest.k8sJobArgs()).groupId();
    for (Role role : Role.values()) {
      Doc user = kafkaUser(role.user());
      JsonNode spec = user.node().path("spec");
      assertThat(spec.path("authentication").path("type").asText())
          .as("%s: authentication", user.where())
          .isEqualTo("scram-sha-512");
      assertThat(spec.path("authorization").path("type").asText())
          .as("%s: authorization", user.where())
          .isEqualTo("simple");
      String group = role == Role.JOB ? jobGroup : role.user();
      assertThat(grants(spec.path("authorization").path("acls")))
          .as("%s: ACLs against Role.%s.acls(\"%s\")", user.where(), role, group)
          .isEqualTo(grants(role.acls(group)));
    }
    assertThat(Manifests.k8s("KafkaUser"))
        .as("deploy/k8s: KafkaUsers, one per Role")
        .hasSize(Role.values().length)
        .allSatisfy(
            u ->
                assertThat(
                        u.node()
                            .path("metadata")
                            .path("labels")
                            .path("strimzi.io/cluster")
                            .asText())
                    .isEqualTo(KafkaClusterManifestsTest.strimziKafka().name()));
  }

  @Test
  void theJobAndTheShardsEachAuthenticateAsTheirOwnPrincipal() throws Exception {
    Map<String, JsonNode> pods =
        Map.of(
            Role.JOB.user(),
            DetectionJobManifestsTest.flinkDeployment().node().path("spec").path("podTemplate"),
            Role.AGENT.user(),
            SimulatorManifestsTest.simulatorJob().node().path("spec").path("template"));
    for (Map.Entry<String, JsonNode> pod : pods.entrySet()) {
      Map<String, String> mounts = mountedVolumes(pod.getValue());
      assertThat(mounts)
          .as("pod of %s: volumes at the paths the client settings name", pod.getKey())
          .containsEntry(Manifests.KAFKA_CLIENT_DIR, "configMap:psfleet-kafka-client")
          .containsEntry(USER_DIR, "secret:" + pod.getKey())
          .containsEntry(CA_DIR, "secret:psfleet-kafka-cluster-ca-cert");
    }
    for (List<String> args :
        List.of(DetectionJobManifestsTest.k8sJobArgs(), SimulatorManifestsTest.k8sArgs(0))) {
      int at = args.indexOf("--kafka-config");
      assertThat(at).as("--kafka-config in %s", args).isNotNegative();
      Map<String, String> settings = KafkaClientConfig.read(Path.of(args.get(at + 1))).properties();
      assertThat(settings)
          .containsEntry("security.protocol", "SASL_SSL")
          .containsEntry("sasl.mechanism", "SCRAM-SHA-512")
          .containsEntry("sasl.jaas.config", "${dir:" + USER_DIR + ":sasl.jaas.config}")
          .containsEntry("ssl.truststore.location", CA_DIR + "/ca.crt");
    }
  }

  private static Doc kafkaUser(String name) {
    return Manifests.k8s("KafkaUser").stream()
        .filter(d -> d.name().equals(name))
        .findFirst()
        .orElseThrow(() -> new AssertionError("deploy/k8s: no KafkaUser " + name));
  }

  /** Strimzi's ACLs as {@code TYPE name PATTERN OPERATION} lines, in Kafka's own names. */
  private static Set<String> grants(JsonNode acls) {
    Set<String> out = new TreeSet<>();
    for (JsonNode acl : acls) {
      JsonNode r = acl.path("resource");
      String type =
          switch (r.path("type").asText()) {
            case "transactionalId" -> "TRANSACTIONAL_ID";
            default -> r.path("type").asText().toUpperCase(Locale.ROOT);
          };
      String pattern =
          r.path("patternType").asText("literal").equals("prefix") ? "PREFIXED" : "LITERAL";
      String host = acl.path("host").asText("*");
      for (JsonNode op : acl.path("operations")) {
        out.add(
            String.join(
                " ",
                type,
                r.path("name").asText(),
                pattern,
                op.asText().toUpperCase(Locale.ROOT),
                host));
      }
    }
    return out;
  }

  private static Set<String> grants(List<AclBinding> acls) {
    Set<String> out = new TreeSet<>();
    for (AclBinding b : acls) {
      out.add(
          String.join(
              " ",
              b.pattern().resourceType().name(),
              b.pattern().name(),
              b.pattern().patternType().name(),
              b.entry().operation().name(),
              b.entry().host()));
    }
    return out;
  }

  /** mount path -> {@code configMap:NAME} or {@code secret:NAME}, over every container. */
  private static Map<String, String> mountedVolumes(JsonNode podTemplate) {
    Map<String, String> volumes = new java.util.HashMap<>();
    for (JsonNode v : podTemplate.path("spec").path("volumes")) {
      if (v.has("configMap")) {
        volumes.put(
            v.path("name").asText(), "configMap:" + v.path("configMap").path("name").asText());
      } else if (v.has("secret")) {
        volumes.put(
            v.path("name").asText(), "secret:" + v.path("secret").path("secretName").asText());
      }
    }
    Map<String, String> mounts = new java.util.TreeMap<>();
    List<JsonNode> containers = new ArrayList<>(Manifests.containers(podTemplate));
    podTemplate.path("spec").path("initContainers").forEach(containers::add);
    for (JsonNode c : containers) {
      for (JsonNode m : c.path("volumeMounts")) {
        String volume = volumes.get(m.path("name").asText());
        if (volume != null) {
          mounts.put(m.path("mountPath").asText(), volume);
        }
      }
    }
    return mounts;
  }
}
