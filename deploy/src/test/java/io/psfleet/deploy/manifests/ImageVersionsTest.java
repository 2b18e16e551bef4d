package io.psfleet.deploy.manifests;

import static io.psfleet.deploy.manifests.Manifests.rel;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.psfleet.deploy.manifests.Manifests.Doc;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The images and operator versions the manifests name are the versions the build uses (root pom:
 * flink.version, kafka.version, maven.compiler.release, the project's version).
 */
class ImageVersionsTest {
  private static final Properties VERSIONS = Manifests.versions();

  /** Every image reference: where -> image. */
  static Map<String, String> images() {
    Map<String, String> out = new LinkedHashMap<>();
    Manifests.compose()
        .path("services")
        .properties()
        .forEach(
            e -> {
              if (e.getValue().has("image")) {
                out.put(
                    rel(Manifests.COMPOSE) + " (" + e.getKey() + ")",
                    e.getValue().path("image").asText());
              }
            });
    for (Path dockerfile : List.of(Manifests.JOB_DOCKERFILE, Manifests.SIMULATOR_DOCKERFILE)) {
      out.put(rel(dockerfile) + " FROM", Manifests.baseImage(dockerfile));
    }
    for (Doc doc : Manifests.k8sResources()) {
      JsonNode spec = doc.node().path("spec");
      if (spec.has("image")) {
        out.put(doc.where() + " spec.image", spec.path("image").asText());
      }
      for (JsonNode c : Manifests.containers(spec.path("template"))) {
        out.put(doc.where() + " container " + c.path("name").asText(), c.path("image").asText());
      }
    }
    return out;
  }

  @Test
  void versionsComeFromTheRootPom() {
    assertThat(VERSIONS.stringPropertyNames())
        .as("versions.properties (filtered from the root pom)")
        .contains("flink.version", "kafka.version", "java.release", "project.version");
  }

  @Test
  void everyImageNamesAnExplicitTag() {
    List<String> problems = new ArrayList<>();
    images()
        .forEach(
            (where, image) -> {
              String tag = Manifests.imageTag(image);
              if (tag.isEmpty() || tag.equals("latest")) {
                problems.add(where + ": " + image + " (name a version)");
              }
            });
    assertThat(problems).as("images without a version").isEmpty();
  }

  @Test
  void flinkImagesAndOperatorVersionMatchTheFlinkTheJobIsBuiltAgainst() {
    String flink = VERSIONS.getProperty("flink.version");
    List<String> problems = new ArrayList<>();
    int flinkImages = 0;
    for (Map.Entry<String, String> e : images().entrySet()) {
      if (!Manifests.imageName(e.getValue()).equals("flink")) {
        continue;
      }
      flinkImages++;
      String tag = Manifests.imageTag(e.getValue());
      if (!Manifests.majorMinor(tag).equals(Manifests.majorMinor(flink))) {
        problems.add(
            e.getKey() + ": " + e.getValue() + ", the job is built against Flink " + flink);
      }
      Matcher java = Pattern.compile("java(\\d+)").matcher(tag);
      int release = Integer.parseInt(VERSIONS.getProperty("java.release"));
      if (java.find() && Integer.parseInt(java.group(1)) < release) {
        problems.add(
            e.getKey()
                + ": "
                + e.getValue()
                + " runs Java "
                + java.group(1)
                + ", the job is compiled for "
                + release);
      }
    }
    if (flinkImages == 0) {
      problems.add(
          "no flink image anywhere (job.Dockerfile should build FROM the official flink image)");
    }
    Doc deployment = DetectionJobManifestsTest.flinkDeployment();
    String expected = "v" + Manifests.majorMinor(flink).replace('.', '_');
    String declared = deployment.node().path("spec").path("flinkVersion").asText();
    if (!declared.equals(expected)) {
      problems.add(
          deployment.where()
              + ": flinkVersion "
              + declared
              + ", Flink "
              + flink
              + " is "
              + expected);
    }
    assertThat(problems).as("Flink versions against flink.version %s", flink).isEmpty();
  }

  @Test
  void kafkaImagesAndStrimziVersionMatchTheKafkaMinorVersion() {
    String kafka = VERSIONS.getProperty("kafka.version");
    List<String> problems = new ArrayList<>();
    images()
        .forEach(
            (where, image) -> {
              if (Manifests.imageName(image).equals("apache/kafka")
                  && !Manifests.majorMinor(Manifests.imageTag(image))
                      .equals(Manifests.majorMinor(kafka))) {
                problems.add(where + ": " + image + ", the clients are Kafka " + kafka);
              }
            });
    Doc strimzi = Manifests.theOnly("Kafka");
    String version = strimzi.node().path("spec").path("kafka").path("version").asText("");
    if (!Manifests.majorMinor(version).equals(Manifests.majorMinor(kafka))) {
      problems.add(
          strimzi.where()
              + ": spec.kafka.version '"
              + version
              + "', the clients are Kafka "
              + kafka);
    }
    assertThat(problems).as("Kafka versions against kafka.version %s", kafka).isEmpty();
  }

  @Test
  void theContainerTestsUseTheComposeFilesKafkaImage() throws Exception {
    String compose =
        images().entrySet().stream()
            .filter(e -> Manifests.imageName(e.getValue()).equals("apache/kafka"))
            .filter(e -> e.getKey().startsWith(rel(Manifests.COMPOSE)))
            .map(Map.Entry::getValue)
            .findFirst()
            .orElseThrow();
    Pattern image = Pattern.compile("\"(apache/kafka:[^\"]+)\"");
    for (String test :
        List.of(
            "agent-sim/src/test/java/io/psfleet/agent/it/ContainerKafkaFleetPublishingIT.java",
            "cli/src/test/java/io/psfleet/cli/ContainerKafkaPipelineIT.java")) {
      Matcher m = image.matcher(java.nio.file.Files.readString(Manifests.REPO.resolve(test)));
      assertThat(m.find()).as("%s names an apache/kafka image", test).isTrue();
      assertThat(m.group(1)).as("the Kafka image of %s", test).isEqualTo(compose);
    }
  }

  @Test
  void simulatorRunsOnTheJavaReleaseTheBuildTargets() {
    String image = Manifests.baseImage(Manifests.SIMULATOR_DOCKERFILE);
    assertThat(Manifests.imageName(image))
        .as("%s FROM", rel(Manifests.SIMULATOR_DOCKERFILE))
        .isEqualTo("eclipse-temurin");
    assertThat(Manifests.imageTag(image))
        .as("%s FROM %s against maven.compiler.release", rel(Manifests.SIMULATOR_DOCKERFILE), image)
        .startsWith(VERSIONS.getProperty("java.release") + "-");
  }

  @Test
  void projectImagesAreTaggedWithTheProjectVersion() {
    String version = VERSIONS.getProperty("project.version");
    List<String> problems = new ArrayList<>();
    images()
        .forEach(
            (where, image) -> {
              if (Manifests.imageName(image).startsWith("psfleet/")
                  && !Manifests.imageTag(image).equals(version)) {
                problems.add(where + ": " + image);
              }
            });
    JsonNode kustomization =
        Manifests.load(Manifests.K8S.resolve("kustomization.yaml")).get(0).node();
    kustomization
        .path("images")
        .forEach(
            i -> {
              if (i.has("newTag") && !i.path("newTag").asText().equals(version)) {
                problems.add(
                    "deploy/k8s/kustomization.yaml: "
                        + i.path("name").asText()
                        + " newTag "
                        + i.path("newTag").asText());
              }
            });
    assertThat(problems).as("psfleet images against the project version %s", version).isEmpty();
  }
}
