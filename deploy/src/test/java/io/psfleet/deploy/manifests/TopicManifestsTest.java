package io.psfleet.deploy.manifests;

import static io.psfleet.deploy.manifests.Manifests.rel;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.psfleet.deploy.manifests.Manifests.Doc;
import io.psfleet.kafka.TopicSetup;
import io.psfleet.schema.Topics;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.Test;

/**
 * The topics of the manifests are the code's: the same names ({@link Topics}), at least the
 * partitions {@link TopicSetup#projectTopics()} creates, three replicas of which two must be in
 * sync.
 */
class TopicManifestsTest {
  private static final Pattern TOPIC_LIKE =
      Pattern.compile("(?<![\\w.])psfleet\\.[a-z][a-z0-9.-]*[a-z0-9]");
  private static final Pattern COMPOSE_CREATE =
      Pattern.compile("(?m)^\\s*create\\s+(\\S+)\\s+(\\d+)\\s*$");

  /** Topic name -> partitions, as the code creates them. */
  static Map<String, Integer> codeTopics() {
    Map<String, Integer> topics = new LinkedHashMap<>();
    for (NewTopic t : TopicSetup.projectTopics()) {
      topics.put(t.name(), t.numPartitions());
    }
    return topics;
  }

  static Set<String> topicConstants() throws IllegalAccessException {
    Set<String> names = new TreeSet<>();
    for (Field f : Topics.class.getFields()) {
      if (Modifier.isStatic(f.getModifiers()) && f.getType() == String.class) {
        names.add((String) f.get(null));
      }
    }
    return names;
  }

  @Test
  void codeCreatesEveryTopicItNames() throws Exception {
    // The two sources of truth the other checks rely on must agree with each other first.
    assertThat(codeTopics().keySet())
        .as("TopicSetup.projectTopics() against the constants of Topics")
        .containsExactlyInAnyOrderElementsOf(topicConstants());
  }

  @Test
  void everyProjectTopicHasAKafkaTopicResourceWithAtLeastTheCodesPartitions() {
    Map<String, Doc> byTopic = new LinkedHashMap<>();
    for (Doc doc : Manifests.k8s("KafkaTopic")) {
      String topic = doc.node().path("spec").path("topicName").asText(doc.name());
      byTopic.put(topic, doc);
    }
    List<String> problems = new ArrayList<>();
    codeTopics()
        .forEach(
            (topic, partitions) -> {
              Doc doc = byTopic.get(topic);
              if (doc == null) {
                problems.add("deploy/k8s: no KafkaTopic with topicName " + topic);
                return;
              }
              int declared = doc.node().path("spec").path("partitions").asInt(-1);
              if (declared < partitions) {
                problems.add(
                    doc.where()
                        + ": "
                        + declared
                        + " partitions for "
                        + topic
                        + ", the code creates "
                        + partitions);
              }
            });
    byTopic.forEach(
        (topic, doc) -> {
          if (!codeTopics().containsKey(topic)) {
            problems.add(doc.where() + ": topic " + topic + " is not one of Topics' constants");
          }
        });
    assertThat(problems).as("KafkaTopic resources against the code").isEmpty();
  }

  @Test
  void kafkaTopicsKeepThreeReplicasOfWhichTwoInSync() {
    List<String> problems = new ArrayList<>();
    for (Doc doc : Manifests.k8s("KafkaTopic")) {
      JsonNode spec = doc.node().path("spec");
      if (spec.path("replicas").asInt(-1) != 3) {
        problems.add(doc.where() + ": replicas " + spec.path("replicas") + ", expected 3");
      }
      String minIsr = spec.path("config").path("min.insync.replicas").asText("");
      if (!minIsr.equals("2")) {
        problems.add(doc.where() + ": config min.insync.replicas '" + minIsr + "', expected 2");
      }
    }
    assertThat(problems).as("KafkaTopic replication").isEmpty();
  }

  @Test
  void composeCreatesEveryProjectTopicWithAtLeastTheCodesPartitionsAndThreeReplicas() {
    String script = String.join("\n", Manifests.command(topicsService()));
    Map<String, Integer> created = new LinkedHashMap<>();
    Matcher m = COMPOSE_CREATE.matcher(script);
    while (m.find()) {
      created.put(m.group(1), Integer.parseInt(m.group(2)));
    }
    List<String> problems = new ArrayList<>();
    codeTopics()
        .forEach(
            (topic, partitions) -> {
              Integer declared = created.get(topic);
              if (declared == null) {
                problems.add("topics service does not create " + topic);
              } else if (declared < partitions) {
                problems.add(
                    "topics service creates "
                        + topic
                        + " with "
                        + declared
                        + " partitions, the code with "
                        + partitions);
              }
            });
    created.keySet().stream()
        .filter(t -> !codeTopics().containsKey(t))
        .forEach(t -> problems.add("topics service creates " + t + ", not one of Topics'"));
    if (!script.contains("--replication-factor 3")) {
      problems.add("topics service does not create topics with --replication-factor 3");
    }
    if (!script.contains("--config min.insync.replicas=2")) {
      problems.add("topics service does not set --config min.insync.replicas=2");
    }
    assertThat(problems).as("%s, service topics", rel(Manifests.COMPOSE)).isEmpty();
  }

  @Test
  void everyTopicNamedInTheManifestsIsAProjectTopic() throws Exception {
    Set<String> known = topicConstants();
    List<String> problems = new ArrayList<>();
    for (Path file : Manifests.yamlFiles()) {
      Matcher m = TOPIC_LIKE.matcher(Manifests.read(file));
      while (m.find()) {
        if (!known.contains(m.group())) {
          problems.add(rel(file) + ": " + m.group());
        }
      }
    }
    assertThat(problems)
        .as("names that look like topics but are not constants of Topics (%s)", known)
        .isEmpty();
  }

  static JsonNode topicsService() {
    JsonNode service = Manifests.compose().path("services").path("topics");
    assertThat(service.isMissingNode())
        .as("%s has a one-shot service 'topics'", rel(Manifests.COMPOSE))
        .isFalse();
    return service;
  }
}
