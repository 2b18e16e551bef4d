package io.psfleet.deploy.manifests;

import static io.psfleet.deploy.manifests.Manifests.rel;
import static org.assertj.core.api.Assertions.assertThat;

import io.psfleet.deploy.manifests.Manifests.Doc;
import java.io.File;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import kafka.server.KafkaConfig;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.FallbackKey;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.utils.AppInfoParser;
import org.apache.kafka.metadata.authorizer.StandardAuthorizer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every Flink and Kafka setting in the manifests is one the software knows, under its current name:
 * a misspelt key is silently ignored by Flink and Kafka, so only a test notices it.
 */
class ConfigKeysTest {
  /**
   * Option classes outside flink-core's org.apache.flink.configuration package, read when on the
   * classpath (RocksDB's, Kubernetes').
   */
  private static final List<String> MORE_FLINK_OPTION_CLASSES =
      List.of(
          "org.apache.flink.state.rocksdb.RocksDBOptions",
          "org.apache.flink.state.rocksdb.RocksDBConfigurableOptions",
          "org.apache.flink.contrib.streaming.state.RocksDBOptions",
          "org.apache.flink.contrib.streaming.state.RocksDBConfigurableOptions",
          "org.apache.flink.kubernetes.configuration.KubernetesConfigOptions",
          "org.apache.flink.kubernetes.highavailability.KubernetesHighAvailabilityOptions");

  /**
   * KAFKA_* variables the apache/kafka image does not write into server.properties: JVM and logging
   * settings of its start scripts (its kafka-propertiesSpec.json excludes, and KAFKA_HEAP_OPTS
   * which kafka-server-start.sh reads).
   */
  private static final Set<String> KAFKA_ENV_NOT_CONFIG =
      Set.of(
          "KAFKA_VERSION",
          "KAFKA_HEAP_OPTS",
          "KAFKA_LOG4J_OPTS",
          "KAFKA_OPTS",
          "KAFKA_JMX_OPTS",
          "KAFKA_JVM_PERFORMANCE_OPTS",
          "KAFKA_GC_LOG_OPTS",
          "KAFKA_LOG4J_ROOT_LOGLEVEL",
          "KAFKA_LOG4J_LOGGERS",
          "KAFKA_TOOLS_LOG4J_LOGLEVEL");

  private static Set<String> flinkKeys;

  /** Deprecated Flink key -> the key that replaced it. */
  private static Map<String, String> flinkDeprecated;

  @BeforeAll
  static void collectFlinkOptions() throws Exception {
    flinkKeys = new TreeSet<>();
    flinkDeprecated = new TreeMap<>();
    List<Class<?>> classes = new ArrayList<>();
    File core =
        new File(
            CheckpointingOptions.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    try (JarFile jar = new JarFile(core)) {
      for (JarEntry e : Collections.list(jar.entries())) {
        String n = e.getName();
        if (n.startsWith("org/apache/flink/configuration/")
            && n.endsWith("Options.class")
            && !n.contains("$")) {
          classes.add(
              Class.forName(n.replace('/', '.').substring(0, n.length() - ".class".length())));
        }
      }
    }
    for (String name : MORE_FLINK_OPTION_CLASSES) {
      try {
        classes.add(Class.forName(name));
      } catch (ClassNotFoundException e) {
        // not on this classpath
      }
    }
    assertThat(classes)
        .as("Flink option classes")
        .extracting(Class::getSimpleName)
        .contains(
            "CheckpointingOptions",
            "StateBackendOptions",
            "HighAvailabilityOptions",
            "TaskManagerOptions");
    for (Class<?> c : classes) {
      for (Field f : c.getFields()) {
        if (Modifier.isStatic(f.getModifiers())
            && ConfigOption.class.isAssignableFrom(f.getType())) {
          ConfigOption<?> option = (ConfigOption<?>) f.get(null);
          flinkKeys.add(option.key());
          for (FallbackKey fallback : option.fallbackKeys()) {
            if (fallback.isDeprecated()) {
              flinkDeprecated.put(fallback.getKey(), option.key());
            } else {
              flinkKeys.add(fallback.getKey());
            }
          }
        }
      }
    }
  }

  /** Where each Flink setting is written: "file (place)" -> keys and values. */
  static Map<String, Map<String, String>> flinkSettings() {
    Map<String, Map<String, String>> out = new LinkedHashMap<>();
    Doc deployment = DetectionJobManifestsTest.flinkDeployment();
    Map<String, String> k8s = new LinkedHashMap<>();
    deployment
        .node()
        .path("spec")
        .path("flinkConfiguration")
        .properties()
        .forEach(e -> k8s.put(e.getKey(), e.getValue().asText()));
    out.put(deployment.where() + " flinkConfiguration", k8s);
    Manifests.compose()
        .path("services")
        .properties()
        .forEach(
            e -> {
              Map<String, String> props = Manifests.flinkProperties(e.getValue());
              if (!props.isEmpty()) {
                out.put(rel(Manifests.COMPOSE) + " (" + e.getKey() + ") FLINK_PROPERTIES", props);
              }
            });
    return out;
  }

  @Test
  void flinkConfigurationKeysAreRealFlinkOptions() {
    List<String> unknown = new ArrayList<>();
    flinkSettings()
        .forEach(
            (where, settings) ->
                settings.keySet().stream()
                    .filter(k -> !flinkKeys.contains(k) && !flinkDeprecated.containsKey(k))
                    .forEach(k -> unknown.add(where + ": " + k)));
    assertThat(unknown)
        .as(
            "Flink keys that no ConfigOption of Flink %s declares",
            Manifests.versions().getProperty("flink.version"))
        .isEmpty();
  }

  @Test
  void flinkConfigurationUsesCurrentKeyNamesNotDeprecatedOnes() {
    List<String> deprecated = new ArrayList<>();
    flinkSettings()
        .forEach(
            (where, settings) ->
                settings.keySet().stream()
                    .filter(flinkDeprecated::containsKey)
                    .forEach(
                        k ->
                            deprecated.add(
                                where + ": " + k + " (now " + flinkDeprecated.get(k) + ")")));
    assertThat(deprecated).as("Flink keys that Flink 2 replaced").isEmpty();
  }

  @Test
  void flinkDeploymentConfigurationValuesAreStrings() {
    // The operator's CRD declares flinkConfiguration as a map of strings; a bare 4 or true is
    // rejected by the API server (older operators) or converted in surprising ways.
    Doc deployment = DetectionJobManifestsTest.flinkDeployment();
    List<String> notStrings = new ArrayList<>();
    deployment
        .node()
        .path("spec")
        .path("flinkConfiguration")
        .properties()
        .forEach(
            e -> {
              if (!e.getValue().isTextual()) {
                notStrings.add(e.getKey() + ": " + e.getValue() + " (quote it)");
              }
            });
    assertThat(notStrings).as("%s: flinkConfiguration values", deployment.where()).isEmpty();
  }

  @Test
  void kafkaBrokerConfigKeysAreRealBrokerConfigs() {
    Set<String> brokerKeys = KafkaConfig.configDef().names();
    List<String> unknown = new ArrayList<>();
    Doc kafka = Manifests.theOnly("Kafka");
    kafka
        .node()
        .path("spec")
        .path("kafka")
        .path("config")
        .fieldNames()
        .forEachRemaining(
            k -> {
              if (!brokerKeys.contains(k)) {
                unknown.add(kafka.where() + ": spec.kafka.config " + k);
              }
            });
    Manifests.servicesWithImage("apache/kafka")
        .forEach(
            (service, node) -> {
              Map<String, String> env = Manifests.environment(node);
              if (!env.containsKey("KAFKA_PROCESS_ROLES")) {
                return; // a client of the image (the topics service), not a broker
              }
              Map<String, String> props = kafkaEnvToProperties(env);
              props.keySet().stream()
                  .filter(k -> !isBrokerKey(k, props, brokerKeys))
                  .forEach(
                      k ->
                          unknown.add(
                              rel(Manifests.COMPOSE)
                                  + " ("
                                  + service
                                  + "): "
                                  + k
                                  + " from "
                                  + envName(env, k)));
            });
    assertThat(unknown)
        .as("Kafka broker settings unknown to KafkaConfig in Kafka %s", AppInfoParser.getVersion())
        .isEmpty();
  }

  @Test
  void kafkaTopicConfigKeysAreRealTopicConfigs() throws Exception {
    Set<String> topicKeys = new TreeSet<>();
    for (Field f : TopicConfig.class.getFields()) {
      if (Modifier.isStatic(f.getModifiers())
          && f.getType() == String.class
          && f.getName().endsWith("_CONFIG")) {
        topicKeys.add((String) f.get(null));
      }
    }
    List<String> unknown = new ArrayList<>();
    for (Doc topic : Manifests.k8s("KafkaTopic")) {
      topic
          .node()
          .path("spec")
          .path("config")
          .fieldNames()
          .forEachRemaining(
              k -> {
                if (!topicKeys.contains(k)) {
                  unknown.add(topic.where() + ": config " + k);
                }
              });
    }
    String script = String.join("\n", Manifests.command(TopicManifestsTest.topicsService()));
    Matcher m = Pattern.compile("--config\\s+([^=\\s]+)=").matcher(script);
    while (m.find()) {
      if (!topicKeys.contains(m.group(1))) {
        unknown.add(rel(Manifests.COMPOSE) + " (topics): --config " + m.group(1));
      }
    }
    assertThat(unknown).as("topic settings that are no TopicConfig constant").isEmpty();
  }

  /**
   * Whether {@code key} is a setting a broker configured with {@code props} reads: a KafkaConfig
   * key; one prefixed {@code listener.name.<listener>.} (optionally followed by an enabled SASL
   * mechanism) for a declared listener; a declared config provider's {@code class} or {@code
   * param.*}; or, with the StandardAuthorizer, one of its own settings.
   */
  static boolean isBrokerKey(String key, Map<String, String> props, Set<String> brokerKeys) {
    if (brokerKeys.contains(key)) {
      return true;
    }
    Matcher listener = Pattern.compile("^listener\\.name\\.([^.]+)\\.(.+)$").matcher(key);
    if (listener.matches()) {
      Set<String> listeners = new TreeSet<>();
      for (String entry : props.getOrDefault("listener.security.protocol.map", "").split(",")) {
        listeners.add(entry.split(":")[0].trim().toLowerCase(Locale.ROOT));
      }
      if (!listeners.contains(listener.group(1))) {
        return false;
      }
      String rest = listener.group(2);
      for (String mechanism : props.getOrDefault("sasl.enabled.mechanisms", "").split(",")) {
        String prefix = mechanism.trim().toLowerCase(Locale.ROOT) + ".";
        if (!mechanism.isBlank() && rest.startsWith(prefix)) {
          rest = rest.substring(prefix.length());
        }
      }
      return brokerKeys.contains(rest);
    }
    Matcher provider =
        Pattern.compile("^config\\.providers\\.([^.]+)\\.(class|param\\..+)$").matcher(key);
    if (provider.matches()) {
      return List.of(props.getOrDefault("config.providers", "").split(","))
          .contains(provider.group(1));
    }
    return StandardAuthorizer.class.getName().equals(props.get("authorizer.class.name"))
        && Set.of(
                StandardAuthorizer.SUPER_USERS_CONFIG,
                StandardAuthorizer.ALLOW_EVERYONE_IF_NO_ACL_IS_FOUND_CONFIG)
            .contains(key);
  }

  /**
   * Broker properties from the apache/kafka image's environment: KAFKA_ dropped, then ___ -> -, __
   * -> _, _ -> . and lower case, as its property renderer does.
   */
  static Map<String, String> kafkaEnvToProperties(Map<String, String> env) {
    Map<String, String> props = new TreeMap<>();
    env.forEach(
        (name, value) -> {
          if (name.startsWith("KAFKA_") && !KAFKA_ENV_NOT_CONFIG.contains(name)) {
            props.put(propertyName(name), value);
          }
        });
    return props;
  }

  private static String propertyName(String envName) {
    return envName
        .substring("KAFKA_".length())
        .replace("___", "\u0000")
        .replace("__", "\u0001")
        .replace('_', '.')
        .replace('\u0000', '-')
        .replace('\u0001', '_')
        .toLowerCase(Locale.ROOT);
  }

  private static String envName(Map<String, String> env, String property) {
    return env.keySet().stream()
        .filter(n -> n.startsWith("KAFKA_") && propertyName(n).equals(property))
        .findFirst()
        .orElse("?");
  }
}
