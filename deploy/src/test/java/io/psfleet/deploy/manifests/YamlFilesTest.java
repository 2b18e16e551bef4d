package io.psfleet.deploy.manifests;

import static io.psfleet.deploy.manifests.Manifests.rel;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.psfleet.deploy.manifests.Manifests.Doc;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Every deployment file is well-formed YAML and the Kubernetes files form one complete set. */
class YamlFilesTest {

  @Test
  void everyYamlFileUnderDeployParses() {
    List<Path> files = Manifests.yamlFiles();
    assertThat(files).as("YAML files under deploy/").isNotEmpty();
    List<String> problems = new ArrayList<>();
    for (Path file : files) {
      try {
        if (Manifests.load(file).isEmpty()) {
          problems.add(rel(file) + ": no document");
        }
      } catch (RuntimeException e) {
        problems.add(rel(file) + ": " + e.getMessage());
      }
    }
    assertThat(problems).as("YAML files that do not parse").isEmpty();
  }

  @Test
  void everyKubernetesResourceNamesItsKindAndLivesInTheKustomizationNamespace() {
    String namespace =
        Manifests.load(Manifests.K8S.resolve("kustomization.yaml"))
            .get(0)
            .node()
            .path("namespace")
            .asText();
    assertThat(namespace).as("deploy/k8s/kustomization.yaml namespace").isNotBlank();
    List<String> problems = new ArrayList<>();
    for (Doc doc : Manifests.k8sResources()) {
      if (doc.kind().equals("Kustomization")) {
        continue;
      }
      if (doc.node().path("apiVersion").asText().isBlank() || doc.name().isBlank()) {
        problems.add(doc.where() + ": apiVersion and metadata.name are required");
      }
      String ns = doc.node().path("metadata").path("namespace").asText("");
      if (doc.kind().equals("Namespace")) {
        if (!doc.name().equals(namespace)) {
          problems.add(doc.where() + " is not the kustomization's namespace " + namespace);
        }
      } else if (!ns.equals(namespace)) {
        problems.add(doc.where() + ": metadata.namespace '" + ns + "', expected " + namespace);
      }
    }
    assertThat(problems).as("Kubernetes resources").isEmpty();
  }

  @Test
  void kustomizationListsEveryManifestOfTheDirectoryAndNothingElse() throws Exception {
    Path kustomization = Manifests.K8S.resolve("kustomization.yaml");
    JsonNode k = Manifests.load(kustomization).get(0).node();
    Set<String> listed = new TreeSet<>();
    k.path("resources").forEach(r -> listed.add(r.asText()));
    k.path("configurations").forEach(r -> listed.add(r.asText()));
    Set<String> present = new TreeSet<>();
    try (Stream<Path> files = Files.list(Manifests.K8S)) {
      files
          .map(f -> f.getFileName().toString())
          .filter(n -> n.endsWith(".yaml") || n.endsWith(".yml"))
          .filter(n -> !n.equals("kustomization.yaml"))
          .forEach(present::add);
    }
    assertThat(listed)
        .as("%s: resources and configurations against the files in deploy/k8s", rel(kustomization))
        .isEqualTo(present);
  }

  @Test
  void composeFileHasNoVariableThatComposeWouldSubstitute() {
    // Compose replaces $NAME and ${NAME} everywhere, commands included; a shell variable meant for
    // the container must be written $$NAME. An unset variable becomes "" without an error.
    String text = Manifests.read(Manifests.COMPOSE);
    Matcher m =
        Pattern.compile("(?<!\\$)\\$(?!\\$)(\\{[^}]*}|[A-Za-z_][A-Za-z0-9_]*)?").matcher(text);
    List<String> found = new ArrayList<>();
    while (m.find()) {
      int line = text.substring(0, m.start()).split("\n", -1).length;
      found.add(rel(Manifests.COMPOSE) + ":" + line + ": " + m.group());
    }
    assertThat(found)
        .as("unescaped $ in the compose file (write $$ for the container's shell)")
        .isEmpty();
  }
}
