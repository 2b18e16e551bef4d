package io.psfleet.deploy.manifests;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * Reads the deployment files the way their tools do, for the consistency tests: YAML with anchors,
 * aliases and merge keys resolved (SnakeYAML's full loader, which Compose files rely on; Jackson's
 * YAML parser leaves {@code <<} unresolved), Dockerfiles line by line, and the build's poms.
 */
final class Manifests {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** {@code deploy/}: surefire runs in the module directory, an IDE perhaps in the repository. */
  static final Path DEPLOY = locateDeploy();

  static final Path REPO = DEPLOY.getParent();
  static final Path COMPOSE_DIR = DEPLOY.resolve("compose");
  static final Path COMPOSE = COMPOSE_DIR.resolve("compose.yaml");
  static final Path JOB_DOCKERFILE = COMPOSE_DIR.resolve("job.Dockerfile");
  static final Path SIMULATOR_DOCKERFILE = COMPOSE_DIR.resolve("simulator.Dockerfile");
  static final Path K8S = DEPLOY.resolve("k8s");

  private Manifests() {}

  /** One YAML document of a file, as a tree. */
  record Doc(Path file, int index, JsonNode node) {
    String kind() {
      return node.path("kind").asText("");
    }

    String name() {
      return node.path("metadata").path("name").asText("");
    }

    /** How a failure message names this document. */
    String where() {
      String what = kind().isEmpty() ? "document " + (index + 1) : kind() + " " + name();
      return REPO.relativize(file) + " (" + what + ")";
    }
  }

  private static Path locateDeploy() {
    Path here = Path.of("").toAbsolutePath();
    for (Path dir = here; dir != null; dir = dir.getParent()) {
      if (Files.isRegularFile(dir.resolve("compose/compose.yaml"))) {
        return dir;
      }
      if (Files.isRegularFile(dir.resolve("deploy/compose/compose.yaml"))) {
        return dir.resolve("deploy");
      }
    }
    throw new IllegalStateException("no deploy/compose/compose.yaml above " + here);
  }

  /** Every {@code *.yaml} and {@code *.yml} under deploy/, build output excluded. */
  static List<Path> yamlFiles() {
    try (Stream<Path> files = Files.walk(DEPLOY)) {
      return files
          .filter(Files::isRegularFile)
          .filter(f -> !DEPLOY.relativize(f).startsWith("target"))
          .filter(f -> f.toString().endsWith(".yaml") || f.toString().endsWith(".yml"))
          .sorted()
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The documents of a (possibly multi-document) YAML file, empty documents skipped. */
  static List<Doc> load(Path file) {
    Yaml yaml = new Yaml(new SafeConstructor(new LoaderOptions()));
    List<Doc> docs = new ArrayList<>();
    int index = 0;
    for (Object doc : yaml.loadAll(read(file))) {
      if (doc != null) {
        docs.add(new Doc(file, index, JSON.valueToTree(doc)));
      }
      index++;
    }
    return docs;
  }

  static JsonNode compose() {
    return load(COMPOSE).get(0).node();
  }

  /** The Kubernetes resources of deploy/k8s: every document with a kind. */
  static List<Doc> k8sResources() {
    try (Stream<Path> files = Files.list(K8S)) {
      return files
          .filter(f -> f.toString().endsWith(".yaml"))
          .sorted()
          .flatMap(f -> load(f).stream())
          .filter(d -> !d.kind().isEmpty())
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static List<Doc> k8s(String kind) {
    return k8sResources().stream().filter(d -> d.kind().equals(kind)).toList();
  }

  static Doc theOnly(String kind) {
    List<Doc> docs = k8s(kind);
    if (docs.size() != 1) {
      throw new AssertionError("deploy/k8s: expected one " + kind + ", found " + docs.size());
    }
    return docs.get(0);
  }

  /** Where pods mount the ConfigMap of Kafka client settings (kafka-clients.yaml). */
  static final String KAFKA_CLIENT_DIR = "/etc/psfleet/kafka-client";

  /**
   * {@code args} with the in-pod path after {@code --kafka-config} replaced by a local file holding
   * what the ConfigMap mounted there holds, so the commands' own parsers read the same settings.
   */
  static List<String> withLocalKafkaConfig(List<String> args) {
    int at = args.indexOf("--kafka-config");
    if (at < 0 || at + 1 >= args.size()) {
      return args;
    }
    String path = args.get(at + 1);
    if (!path.startsWith(KAFKA_CLIENT_DIR + "/")) {
      throw new AssertionError("--kafka-config " + path + " is not under " + KAFKA_CLIENT_DIR);
    }
    String key = path.substring(KAFKA_CLIENT_DIR.length() + 1);
    JsonNode data = kafkaClientConfigMap().node().path("data").path(key);
    if (!data.isTextual()) {
      throw new AssertionError("ConfigMap psfleet-kafka-client has no key " + key);
    }
    // One local file per key, so that every pod naming the same file gets the same argument.
    Path local =
        LOCAL_KAFKA_CONFIGS.computeIfAbsent(
            key,
            k -> {
              try {
                Path file = Files.createTempFile("psfleet-kafka-client-", ".properties");
                file.toFile().deleteOnExit();
                return Files.writeString(file, data.asText());
              } catch (IOException e) {
                throw new UncheckedIOException(e);
              }
            });
    List<String> copy = new java.util.ArrayList<>(args);
    copy.set(at + 1, local.toString());
    return copy;
  }

  private static final Map<String, Path> LOCAL_KAFKA_CONFIGS =
      new java.util.concurrent.ConcurrentHashMap<>();

  static Doc kafkaClientConfigMap() {
    return k8s("ConfigMap").stream()
        .filter(d -> d.name().equals("psfleet-kafka-client"))
        .findFirst()
        .orElseThrow(() -> new AssertionError("deploy/k8s: no ConfigMap psfleet-kafka-client"));
  }

  /** Compose services whose image is built from {@code dockerfile}. */
  static Map<String, JsonNode> servicesBuiltFrom(Path dockerfile) {
    Map<String, JsonNode> found = new LinkedHashMap<>();
    compose()
        .path("services")
        .properties()
        .forEach(
            e -> {
              JsonNode build = e.getValue().path("build");
              if (!build.isMissingNode()
                  && buildContext(build)
                      .resolve(build.path("dockerfile").asText("Dockerfile"))
                      .normalize()
                      .equals(dockerfile)) {
                found.put(e.getKey(), e.getValue());
              }
            });
    return found;
  }

  /** Compose services running an image whose name (before the tag) is {@code imageName}. */
  static Map<String, JsonNode> servicesWithImage(String imageName) {
    Map<String, JsonNode> found = new LinkedHashMap<>();
    compose()
        .path("services")
        .properties()
        .forEach(
            e -> {
              if (imageName(e.getValue().path("image").asText("")).equals(imageName)) {
                found.put(e.getKey(), e.getValue());
              }
            });
    return found;
  }

  /**
   * A compose service's mounts, container path -> source: a named volume's name, or for a bind
   * mount ({@code ./file:/path}) the host path relative to the compose file, starting with {@code
   * ./} or {@code ../}. Short and long syntax alike.
   */
  static Map<String, String> mounts(JsonNode service) {
    Map<String, String> out = new LinkedHashMap<>();
    for (JsonNode v : service.path("volumes")) {
      if (v.isTextual()) {
        String[] parts = v.asText().split(":");
        if (parts.length >= 2) {
          out.put(parts[1], parts[0]);
        }
      } else {
        out.put(v.path("target").asText(), v.path("source").asText());
      }
    }
    return out;
  }

  /** The named volumes a compose service mounts (bind mounts left out), by container path. */
  static Map<String, String> namedVolumes(JsonNode service) {
    Map<String, String> out = new LinkedHashMap<>();
    mounts(service)
        .forEach(
            (target, source) -> {
              if (!source.startsWith(".") && !source.startsWith("/")) {
                out.put(target, source);
              }
            });
    return out;
  }

  /**
   * {@code args} with the container path after {@code --kafka-config} replaced by the local file
   * the service bind-mounts there, so the commands' own parsers read the same settings.
   */
  static List<String> withComposeKafkaConfig(
      String serviceName, JsonNode service, List<String> args) {
    int at = args.indexOf("--kafka-config");
    if (at < 0 || at + 1 >= args.size()) {
      return args;
    }
    String source = mounts(service).get(args.get(at + 1));
    if (source == null || !source.startsWith(".")) {
      throw new AssertionError(
          rel(COMPOSE)
              + " ("
              + serviceName
              + "): --kafka-config "
              + args.get(at + 1)
              + " is no file the service bind-mounts; mounts: "
              + mounts(service));
    }
    List<String> copy = new ArrayList<>(args);
    copy.set(at + 1, COMPOSE_DIR.resolve(source).normalize().toString());
    return copy;
  }

  /**
   * A value as the container sees it: Compose turns {@code $$} into {@code $} (the compose file may
   * hold no other {@code $}, YamlFilesTest checks).
   */
  static String composeValue(String value) {
    return value.replace("$$", "$");
  }

  static Path buildContext(JsonNode build) {
    String context = build.isTextual() ? build.asText() : build.path("context").asText(".");
    return COMPOSE_DIR.resolve(context).normalize();
  }

  /** A service's {@code command} as a list of strings. */
  static List<String> command(JsonNode service) {
    JsonNode command = service.path("command");
    List<String> out = new ArrayList<>();
    if (command.isArray()) {
      command.forEach(c -> out.add(c.asText()));
    } else if (command.isTextual()) {
      out.addAll(List.of(command.asText().trim().split("\\s+")));
    }
    return out;
  }

  /** A service's environment as a map, whether written as a map or as a list of KEY=VALUE. */
  static Map<String, String> environment(JsonNode service) {
    Map<String, String> env = new LinkedHashMap<>();
    JsonNode node = service.path("environment");
    if (node.isObject()) {
      node.properties().forEach(e -> env.put(e.getKey(), e.getValue().asText()));
    } else if (node.isArray()) {
      node.forEach(
          item -> {
            String text = item.asText();
            int eq = text.indexOf('=');
            env.put(eq < 0 ? text : text.substring(0, eq), eq < 0 ? "" : text.substring(eq + 1));
          });
    }
    return env;
  }

  /**
   * The Flink options of a service's {@code FLINK_PROPERTIES}: one {@code key: value} a line, split
   * at the first colon as the Flink image's entrypoint does.
   */
  static Map<String, String> flinkProperties(JsonNode service) {
    Map<String, String> props = new LinkedHashMap<>();
    String text = environment(service).getOrDefault("FLINK_PROPERTIES", "");
    for (String line : text.split("\n")) {
      String trimmed = line.trim();
      if (trimmed.isEmpty() || trimmed.startsWith("#")) {
        continue;
      }
      int colon = trimmed.indexOf(':');
      props.put(
          colon < 0 ? trimmed : trimmed.substring(0, colon).trim(),
          colon < 0 ? "" : trimmed.substring(colon + 1).trim());
    }
    return props;
  }

  /** The containers and init containers of a pod template, e.g. a Job's spec.template. */
  static List<JsonNode> containers(JsonNode podTemplate) {
    List<JsonNode> out = new ArrayList<>();
    podTemplate.path("spec").path("initContainers").forEach(out::add);
    podTemplate.path("spec").path("containers").forEach(out::add);
    return out;
  }

  static JsonNode container(JsonNode podTemplate, String name) {
    for (JsonNode c : containers(podTemplate)) {
      if (c.path("name").asText().equals(name)) {
        return c;
      }
    }
    return MissingNode.getInstance();
  }

  /**
   * {@code apache/kafka:4.2.2} -> {@code apache/kafka}; registry prefixes of Docker Hub dropped.
   */
  static String imageName(String image) {
    String name = image;
    int at = name.indexOf('@');
    if (at >= 0) {
      name = name.substring(0, at);
    }
    int colon = name.lastIndexOf(':');
    if (colon > name.lastIndexOf('/')) {
      name = name.substring(0, colon);
    }
    for (String prefix : List.of("docker.io/library/", "docker.io/", "index.docker.io/")) {
      if (name.startsWith(prefix)) {
        name = name.substring(prefix.length());
      }
    }
    return name;
  }

  /** {@code apache/kafka:4.2.2} -> {@code 4.2.2}; empty when the image names no tag. */
  static String imageTag(String image) {
    String ref = image;
    int at = ref.indexOf('@');
    if (at >= 0) {
      ref = ref.substring(0, at);
    }
    int colon = ref.lastIndexOf(':');
    return colon > ref.lastIndexOf('/') ? ref.substring(colon + 1) : "";
  }

  /** {@code 2.2.1} or {@code 2.2.1-scala_2.12-java17} -> {@code 2.2}; empty when not a version. */
  static String majorMinor(String version) {
    Matcher m = Pattern.compile("^(\\d+)\\.(\\d+)").matcher(version);
    return m.find() ? m.group(1) + "." + m.group(2) : "";
  }

  /** The versions of the root pom, through the filtered test resource versions.properties. */
  static Properties versions() {
    Properties props = new Properties();
    try (InputStream in = Manifests.class.getResourceAsStream("/versions.properties")) {
      if (in == null) {
        throw new IllegalStateException("versions.properties is not on the test classpath");
      }
      props.load(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    props.forEach(
        (k, v) -> {
          if (v.toString().contains("${")) {
            throw new IllegalStateException(
                "versions.properties was not filtered by Maven: " + k + "=" + v);
          }
        });
    return props;
  }

  /** One instruction of a Dockerfile, comments and continuation lines resolved. */
  record Instruction(String keyword, String arguments) {}

  static List<Instruction> dockerfile(Path file) {
    List<Instruction> out = new ArrayList<>();
    StringBuilder pending = new StringBuilder();
    for (String line : read(file).split("\n")) {
      String trimmed = line.trim();
      if (trimmed.startsWith("#") || (trimmed.isEmpty() && pending.isEmpty())) {
        continue;
      }
      if (trimmed.endsWith("\\")) {
        pending.append(trimmed, 0, trimmed.length() - 1).append(' ');
        continue;
      }
      pending.append(trimmed);
      String full = pending.toString().trim();
      pending.setLength(0);
      if (full.isEmpty()) {
        continue;
      }
      int space = full.indexOf(' ');
      out.add(
          new Instruction(
              (space < 0 ? full : full.substring(0, space)).toUpperCase(java.util.Locale.ROOT),
              space < 0 ? "" : full.substring(space + 1).trim()));
    }
    return out;
  }

  static List<String> dockerfileInstructions(Path file, String keyword) {
    return dockerfile(file).stream()
        .filter(i -> i.keyword().equals(keyword))
        .map(Instruction::arguments)
        .toList();
  }

  /** The image a Dockerfile builds on (its last FROM). */
  static String baseImage(Path file) {
    List<String> froms = dockerfileInstructions(file, "FROM");
    if (froms.isEmpty()) {
      throw new AssertionError(REPO.relativize(file) + " has no FROM");
    }
    return froms.get(froms.size() - 1).split("\\s+")[0];
  }

  /** COPY source -> destination, flags such as --chown dropped. */
  static Map<String, String> copies(Path file) {
    Map<String, String> out = new LinkedHashMap<>();
    for (String args : dockerfileInstructions(file, "COPY")) {
      List<String> words = new ArrayList<>(List.of(args.split("\\s+")));
      words.removeIf(w -> w.startsWith("--"));
      if (words.size() == 2) {
        out.put(words.get(0), words.get(1));
      }
    }
    return out;
  }

  /** The exec form of ENTRYPOINT as a list. */
  static List<String> entrypoint(Path file) {
    List<String> entries = dockerfileInstructions(file, "ENTRYPOINT");
    if (entries.isEmpty()) {
      return List.of();
    }
    try {
      List<String> out = new ArrayList<>();
      JSON.readTree(entries.get(entries.size() - 1)).forEach(n -> out.add(n.asText()));
      return out;
    } catch (IOException e) {
      throw new AssertionError(REPO.relativize(file) + ": ENTRYPOINT is not in exec form", e);
    }
  }

  /** The file name of a module's shaded jar: the shade plugin's outputFile in its pom. */
  static String shadedJarName(String module) {
    String outputFile = pomText(module, "outputFile");
    return outputFile.substring(outputFile.lastIndexOf('/') + 1);
  }

  /** The text of the first element {@code tag} of a module's pom. */
  static String pomText(String module, String tag) {
    Path pom = REPO.resolve(module).resolve("pom.xml");
    try {
      DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
      factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
      NodeList nodes = factory.newDocumentBuilder().parse(pom.toFile()).getElementsByTagName(tag);
      if (nodes.getLength() == 0) {
        throw new AssertionError(REPO.relativize(pom) + " has no <" + tag + ">");
      }
      return ((Element) nodes.item(0)).getTextContent().trim();
    } catch (javax.xml.parsers.ParserConfigurationException
        | org.xml.sax.SAXException
        | IOException e) {
      throw new AssertionError("cannot read " + pom, e);
    }
  }

  static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static String rel(Path file) {
    return REPO.relativize(file).toString();
  }
}
