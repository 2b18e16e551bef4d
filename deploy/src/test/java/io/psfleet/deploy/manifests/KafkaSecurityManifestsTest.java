package io.psfleet.deploy.manifests;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.psfleet.commandline.KafkaClientConfig;
import io.psfleet.deploy.manifests.Manifests.Doc;
import io.psfleet.kafka.security.KafkaSecurity;
import io.psfleet.kafka.security.Role;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.common.acl.AclBinding;
import org.junit.jupiter.api.Test;

/**
 * Kubernetes and Compose run Kafka as {@code ./psfleet cluster --secure} does: SASL/SCRAM-SHA-512
 * over TLS on every client listener, no plaintext one, ACLs enforced, and one user per principal
 * holding exactly the ACLs the code grants that principal ({@link Role}): a Strimzi {@code
 * KafkaUser} in deploy/k8s, a {@code user} and its {@code acl} lines of {@code kafka-security.sh}
 * in compose. Every pod or container that talks to Kafka authenticates as its own principal.
 */
class KafkaSecurityManifestsTest {
  private static final String USER_DIR = "/etc/psfleet/kafka-user";
  private static final String CA_DIR = "/etc/psfleet/kafka-ca";

  private static final Path SECURITY_SCRIPT = Manifests.COMPOSE_DIR.resolve("kafka-security.sh");
  private static final Pattern SCRIPT_USER = Pattern.compile("(?m)^\\s*user\\s+(\\S+)\\s*$");
  private static final Pattern SCRIPT_ACL =
      Pattern.compile(
          "(?m)^\\s*acl\\s+(\\S+)\\s+(topic|group|transactional-id|cluster)\\s+(\\S+)"
              + "\\s+(literal|prefixed)\\s+(\\S[^\\n]*?)\\s*$");

  /** Where kafka-security.sh certs writes each principal's secrets: users/<principal>. */
  private static final String USERS_DIR = "/etc/psfleet/users";

  /** The compose volume holding the brokers' keystore, and the one holding the CA's key. */
  private static final String BROKER_VOLUME = "kafka-broker";

  private static final String CA_KEY_VOLUME = "kafka-ca-key";

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

  @Test
  void composeListenersAuthenticateClientsWithScramOverTlsAndNoListenerIsPlaintext() {
    Map<String, Map<String, String>> brokers = KafkaClusterManifestsTest.composeBrokers();
    assertThat(brokers).as("%s: Kafka nodes", Manifests.rel(Manifests.COMPOSE)).isNotEmpty();
    String brokerPrincipal = "User:" + scriptVariable("BROKER_DN");
    List<String> problems = new ArrayList<>();
    brokers.forEach(
        (service, raw) -> {
          Map<String, String> props = new TreeMap<>();
          raw.forEach((k, v) -> props.put(k, Manifests.composeValue(v)));
          Map<String, String> protocols = protocols(props);
          Set<String> mutualTls =
              new TreeSet<>(
                  List.of(props.getOrDefault("controller.listener.names", "").split(",")));
          mutualTls.add(props.getOrDefault("inter.broker.listener.name", ""));
          for (String listener : props.getOrDefault("listeners", "").split(",")) {
            String name = listener.substring(0, Math.max(0, listener.indexOf("://")));
            String protocol = protocols.getOrDefault(name, "PLAINTEXT (unmapped)");
            String prefix = "listener.name." + name.toLowerCase(Locale.ROOT) + ".";
            switch (protocol) {
              case "SASL_SSL" -> {
                if (!props.containsKey(prefix + "scram-sha-512.sasl.jaas.config")) {
                  problems.add(service + ": SASL_SSL listener " + name + " has no SCRAM login");
                }
              }
              case "SSL" -> {
                // TLS without SASL is only for the brokers' own traffic, with their certificate.
                if (!mutualTls.contains(name)) {
                  problems.add(service + ": clients' listener " + name + " is SSL without SCRAM");
                }
                if (!"required"
                    .equals(
                        props.getOrDefault(
                            prefix + "ssl.client.auth", props.get("ssl.client.auth")))) {
                  problems.add(service + ": SSL listener " + name + " does not require a cert");
                }
              }
              default -> problems.add(service + ": listener " + name + " is " + protocol);
            }
          }
          expect(problems, service, props, "sasl.enabled.mechanisms", KafkaSecurity.SCRAM);
          expect(
              problems,
              service,
              props,
              "authorizer.class.name",
              "org.apache.kafka.metadata.authorizer.StandardAuthorizer");
          expect(problems, service, props, "super.users", brokerPrincipal);
          if (Boolean.parseBoolean(props.getOrDefault("allow.everyone.if.no.acl.found", "false"))) {
            problems.add(service + ": allow.everyone.if.no.acl.found is true");
          }
          for (String secret : List.of("ssl.keystore.password", "ssl.key.password")) {
            if (!props.getOrDefault(secret, "").startsWith("${file:")) {
              problems.add(service + ": " + secret + " is not read from a file (${file:...})");
            }
          }
          expect(problems, service, props, "ssl.truststore.location", CA_DIR + "/ca.crt");
        });
    assertThat(problems)
        .as("%s: Kafka security of the brokers", Manifests.rel(Manifests.COMPOSE))
        .isEmpty();
  }

  @Test
  void composeCreatesEveryPrincipalWithExactlyTheAclsOfItsRole() {
    String script = Manifests.read(SECURITY_SCRIPT);
    Set<String> users = new TreeSet<>();
    Matcher u = SCRIPT_USER.matcher(script);
    while (u.find()) {
      users.add(u.group(1));
    }
    Set<String> roleUsers = new TreeSet<>();
    for (Role role : Role.values()) {
      roleUsers.add(role.user());
    }
    assertThat(users).as("%s: user lines", Manifests.rel(SECURITY_SCRIPT)).isEqualTo(roleUsers);
    assertThat(new TreeSet<>(List.of(scriptVariable("PRINCIPALS").split("\\s+"))))
        .as("%s: PRINCIPALS, whose passwords certs makes", Manifests.rel(SECURITY_SCRIPT))
        .isEqualTo(roleUsers);

    Map<String, Set<String>> scriptGrants = new TreeMap<>();
    Matcher a = SCRIPT_ACL.matcher(script);
    while (a.find()) {
      String type = a.group(2).replace('-', '_').toUpperCase(Locale.ROOT);
      for (String op : a.group(5).split("\\s+")) {
        scriptGrants
            .computeIfAbsent(a.group(1), k -> new TreeSet<>())
            .add(
                String.join(
                    " ",
                    type,
                    a.group(3),
                    a.group(4).toUpperCase(Locale.ROOT),
                    op.replaceAll("([a-z])([A-Z])", "$1_$2").toUpperCase(Locale.ROOT),
                    "*"));
      }
    }
    String jobGroup =
        DetectionJobManifestsTest.parse(DetectionJobManifestsTest.composeJobArgs()).groupId();
    for (Role role : Role.values()) {
      String group = role == Role.JOB ? jobGroup : role.user();
      assertThat(scriptGrants.getOrDefault(role.user(), Set.of()))
          .as(
              "%s: acl lines of %s against Role.%s.acls(\"%s\")",
              Manifests.rel(SECURITY_SCRIPT), role.user(), role, group)
          .isEqualTo(grants(role.acls(group)));
    }
    assertThat(scriptGrants.keySet())
        .as("%s: principals with ACLs", Manifests.rel(SECURITY_SCRIPT))
        .isEqualTo(roleUsers);

    // Compose runs both steps of the script: certs before the brokers, users after them.
    JsonNode services = Manifests.compose().path("services");
    for (String step : List.of("certs", "users")) {
      String service = "kafka-" + step;
      List<String> run = new ArrayList<>();
      services.path(service).path("entrypoint").forEach(e -> run.add(e.asText()));
      run.addAll(Manifests.command(services.path(service)));
      assertThat(run)
          .as("%s (%s): runs kafka-security.sh %s", Manifests.rel(Manifests.COMPOSE), service, step)
          .endsWith("/psfleet/kafka-security.sh", step);
      assertThat(Manifests.mounts(services.path(service)))
          .containsEntry("/psfleet/kafka-security.sh", "./kafka-security.sh");
    }
    for (String broker : KafkaClusterManifestsTest.composeBrokers().keySet()) {
      assertThat(
              services
                  .path(broker)
                  .path("depends_on")
                  .path("kafka-certs")
                  .path("condition")
                  .asText())
          .as("%s (%s): starts after kafka-certs", Manifests.rel(Manifests.COMPOSE), broker)
          .isEqualTo("service_completed_successfully");
      assertThat(
              services
                  .path("kafka-users")
                  .path("depends_on")
                  .path(broker)
                  .path("condition")
                  .asText())
          .as("%s (kafka-users): waits for %s", Manifests.rel(Manifests.COMPOSE), broker)
          .isEqualTo("service_healthy");
    }
  }

  @Test
  void composeContainersEachAuthenticateAsTheirOwnPrincipalAndHoldNoOtherSecret() throws Exception {
    JsonNode services = Manifests.compose().path("services");
    Map<String, String> principals = new TreeMap<>();
    principals.put("jobmanager", Role.JOB.user());
    principals.put("taskmanager", Role.JOB.user());
    principals.put("alerts", Role.SOC.user());
    Manifests.servicesBuiltFrom(Manifests.SIMULATOR_DOCKERFILE)
        .keySet()
        .forEach(s -> principals.put(s, Role.AGENT.user()));
    // The volume kafka-certs fills with each principal's password and JAAS line.
    Map<String, String> volumeOf = new TreeMap<>();
    Manifests.namedVolumes(services.path("kafka-certs"))
        .forEach(
            (target, volume) -> {
              if (target.startsWith(USERS_DIR + "/")) {
                volumeOf.put(target.substring(USERS_DIR.length() + 1), volume);
              }
            });
    assertThat(volumeOf.keySet())
        .as("%s (kafka-certs): a volume per principal", Manifests.rel(Manifests.COMPOSE))
        .containsExactlyInAnyOrderElementsOf(
            List.of(Role.AGENT.user(), Role.JOB.user(), Role.SOC.user()));
    Map<String, String> k8sSettings =
        KafkaClientConfig.read(
                Path.of(
                    Manifests.withLocalKafkaConfig(
                            List.of(
                                "--kafka-config",
                                Manifests.KAFKA_CLIENT_DIR + "/client.properties"))
                        .get(1)))
            .properties();
    List<String> problems = new ArrayList<>();
    principals.forEach(
        (service, principal) -> {
          JsonNode node = services.path(service);
          if (node.isMissingNode()) {
            problems.add("no service " + service);
            return;
          }
          Map<String, String> volumes = Manifests.namedVolumes(node);
          if (!volumeOf.get(principal).equals(volumes.get(USER_DIR))) {
            problems.add(
                service
                    + ": mounts "
                    + volumes.get(USER_DIR)
                    + " at "
                    + USER_DIR
                    + ", not "
                    + volumeOf.get(principal)
                    + " ("
                    + principal
                    + ")");
          }
          if (!"kafka-ca".equals(volumes.get(CA_DIR))) {
            problems.add(service + ": no CA volume at " + CA_DIR);
          }
          Set<String> others = new TreeSet<>(volumes.values());
          others.retainAll(Set.of(BROKER_VOLUME, CA_KEY_VOLUME));
          volumeOf.values().stream()
              .filter(v -> !v.equals(volumeOf.get(principal)) && volumes.containsValue(v))
              .forEach(others::add);
          if (!others.isEmpty()) {
            problems.add(service + ": also mounts the secrets of " + others);
          }
          if (service.equals("taskmanager")) {
            // It runs no command of its own: the job's Kafka clients, with the settings the
            // JobManager read, resolve them here, so it needs the very files the JobManager has.
            if (!Manifests.mounts(node)
                .get(Manifests.KAFKA_CLIENT_DIR + "/client.properties")
                .equals(
                    Manifests.mounts(services.path("jobmanager"))
                        .get(Manifests.KAFKA_CLIENT_DIR + "/client.properties"))) {
              problems.add(service + ": not the JobManager's client settings");
            }
            return;
          }
          String local =
              Manifests.COMPOSE_DIR
                  .resolve(
                      Manifests.mounts(node)
                          .getOrDefault(Manifests.KAFKA_CLIENT_DIR + "/client.properties", "-"))
                  .normalize()
                  .toString();
          List<String> args = new ArrayList<>(Manifests.command(node));
          node.path("entrypoint").forEach(e -> args.add(e.asText()));
          boolean named = args.contains(Manifests.KAFKA_CLIENT_DIR + "/client.properties");
          if (!named) {
            problems.add(
                service + ": does not pass " + Manifests.KAFKA_CLIENT_DIR + "/client.properties");
          } else if (!KafkaClientConfig.read(Path.of(local)).properties().equals(k8sSettings)) {
            problems.add(service + ": client settings differ from deploy/k8s psfleet-kafka-client");
          }
        });
    // The SOC reads with the group its ACL names, from a client listener.
    List<String> alerts = new ArrayList<>();
    services.path("alerts").path("entrypoint").forEach(e -> alerts.add(e.asText()));
    assertThat(KafkaClusterManifestsTest.optionValue(alerts, "--group")).isEqualTo(Role.SOC.user());
    assertThat(
            List.of(KafkaClusterManifestsTest.optionValue(alerts, "--bootstrap-server").split(",")))
        .isSubsetOf(KafkaClusterManifestsTest.composeClientAddresses());
    // Nobody else holds a principal's secret, the brokers' keystore or the CA's key.
    services
        .properties()
        .forEach(
            e -> {
              Set<String> held = new TreeSet<>(Manifests.namedVolumes(e.getValue()).values());
              Set<String> secret = new TreeSet<>(volumeOf.values());
              secret.add(CA_KEY_VOLUME);
              held.retainAll(secret);
              if (!held.isEmpty()
                  && !principals.containsKey(e.getKey())
                  && !e.getKey().startsWith("kafka-certs")
                  && !e.getKey().equals("kafka-users")) {
                problems.add(e.getKey() + ": mounts " + held);
              }
              if (held.contains(CA_KEY_VOLUME) && !e.getKey().equals("kafka-certs")) {
                problems.add(e.getKey() + ": mounts the CA's key");
              }
            });
    assertThat(problems)
        .as("%s: principals of the containers", Manifests.rel(Manifests.COMPOSE))
        .isEmpty();
  }

  /** A variable of kafka-security.sh: {@code NAME="value"} at the start of a line. */
  private static String scriptVariable(String name) {
    Matcher m =
        Pattern.compile("(?m)^" + name + "=\"([^\"]*)\"").matcher(Manifests.read(SECURITY_SCRIPT));
    if (!m.find()) {
      throw new AssertionError(Manifests.rel(SECURITY_SCRIPT) + " sets no " + name);
    }
    return m.group(1);
  }

  private static Map<String, String> protocols(Map<String, String> props) {
    Map<String, String> out = new TreeMap<>();
    for (String entry : props.getOrDefault("listener.security.protocol.map", "").split(",")) {
      String[] kv = entry.split(":");
      if (kv.length == 2) {
        out.put(kv[0].trim(), kv[1].trim());
      }
    }
    return out;
  }

  private static void expect(
      List<String> problems, String service, Map<String, String> props, String key, String value) {
    if (!value.equals(props.get(key))) {
      problems.add(service + ": " + key + "=" + props.get(key) + ", expected " + value);
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
