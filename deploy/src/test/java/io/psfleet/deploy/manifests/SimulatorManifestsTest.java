package io.psfleet.deploy.manifests;

import static io.psfleet.deploy.manifests.Manifests.rel;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.psfleet.agent.cli.PsfleetApp;
import io.psfleet.agent.fleet.Shard;
import io.psfleet.deploy.manifests.Manifests.Doc;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The simulator's shards in compose and Kubernetes: arguments {@code simulate} accepts, the same
 * fleet in every shard, and shards 1..N each exactly once, so that together they are the fleet.
 */
class SimulatorManifestsTest {
  /** How the Indexed Job turns its 0-based completion index into a 1-based shard number. */
  private static final Pattern SHARD_FROM_INDEX =
      Pattern.compile("\\$\\(\\(\\s*JOB_COMPLETION_INDEX\\s*\\+\\s*1\\s*\\)\\)");

  /** The shard's command line after {@code simulate}, from a compose service. */
  static List<String> composeArgs(String service, JsonNode node) {
    List<String> command = Manifests.command(node);
    assertThat(command)
        .as("%s: %s runs 'simulate'", rel(Manifests.COMPOSE), service)
        .isNotEmpty()
        .first()
        .isEqualTo("simulate");
    return Manifests.withComposeKafkaConfig(service, node, command.subList(1, command.size()));
  }

  static Doc simulatorJob() {
    List<Doc> jobs =
        Manifests.k8s("Job").stream()
            .filter(d -> d.node().path("spec").path("completionMode").asText().equals("Indexed"))
            .toList();
    assertThat(jobs).as("deploy/k8s: one Indexed Job for the simulator").hasSize(1);
    return jobs.get(0);
  }

  static JsonNode simulatorContainer() {
    JsonNode c =
        Manifests.container(simulatorJob().node().path("spec").path("template"), "simulator");
    assertThat(c.isMissingNode()).as("%s: container 'simulator'", simulatorJob().where()).isFalse();
    return c;
  }

  /** The container's shell line with the shard index substituted, split into words. */
  static List<String> k8sCommandLine(int completionIndex) {
    JsonNode c = simulatorContainer();
    List<String> command = new ArrayList<>();
    c.path("command").forEach(n -> command.add(n.asText()));
    assertThat(command)
        .as("%s: the simulator derives its shard in a shell", simulatorJob().where())
        .containsExactly("sh", "-c");
    String script = c.path("args").path(0).asText();
    assertThat(SHARD_FROM_INDEX.matcher(script).find())
        .as("%s: --shard uses $((JOB_COMPLETION_INDEX + 1)) in %s", simulatorJob().where(), script)
        .isTrue();
    String line =
        SHARD_FROM_INDEX.matcher(script).replaceAll(Integer.toString(completionIndex + 1));
    return List.of(line.trim().split("\\s+"));
  }

  /** The words after {@code exec java -jar JAR simulate}. */
  static List<String> k8sArgs(int completionIndex) {
    List<String> words = k8sCommandLine(completionIndex);
    int at = words.indexOf("simulate");
    assertThat(at).as("%s: the shell line runs 'simulate'", simulatorJob().where()).isPositive();
    return Manifests.withLocalKafkaConfig(words.subList(at + 1, words.size()));
  }

  /** Options as name -> value (flags -> ""), whether written --name value or --name=value. */
  static Map<String, String> options(List<String> args) {
    Map<String, String> out = new TreeMap<>();
    for (int i = 0; i < args.size(); i++) {
      String a = args.get(i);
      int eq = a.indexOf('=');
      if (eq > 0) {
        out.put(a.substring(0, eq), a.substring(eq + 1));
      } else if (i + 1 < args.size() && !args.get(i + 1).startsWith("--")) {
        out.put(a, args.get(++i));
      } else {
        out.put(a, "");
      }
    }
    return out;
  }

  @Test
  void composeSimulatorArgsAreAcceptedBySimulate() {
    List<String> problems = new ArrayList<>();
    Manifests.servicesBuiltFrom(Manifests.SIMULATOR_DOCKERFILE)
        .forEach(
            (service, node) -> {
              List<String> args = composeArgs(service, node);
              try {
                PsfleetApp.checkSimulateArgs(args.toArray(String[]::new));
              } catch (RuntimeException e) {
                problems.add(rel(Manifests.COMPOSE) + " (" + service + "): " + e.getMessage());
              }
            });
    assertThat(problems).as("simulate's verdict on the compose shards").isEmpty();
  }

  @Test
  void composeShardsCoverTheFleetOnceWithTheSameFleetArguments() {
    Map<String, JsonNode> services = Manifests.servicesBuiltFrom(Manifests.SIMULATOR_DOCKERFILE);
    assertThat(services)
        .as(
            "%s: simulator services built from %s",
            rel(Manifests.COMPOSE), rel(Manifests.SIMULATOR_DOCKERFILE))
        .isNotEmpty();
    Map<String, Map<String, String>> fleets = new LinkedHashMap<>();
    TreeSet<Integer> indexes = new TreeSet<>();
    TreeSet<Integer> counts = new TreeSet<>();
    List<String> problems = new ArrayList<>();
    services.forEach(
        (service, node) -> {
          Map<String, String> opts = options(composeArgs(service, node));
          Shard shard = Shard.parse(opts.getOrDefault("--shard", "1/1"));
          if (!indexes.add(shard.index())) {
            problems.add(service + ": shard " + shard + " is also another service's");
          }
          counts.add(shard.count());
          opts.remove("--shard");
          fleets.put(service, opts);
        });
    if (counts.size() != 1) {
      problems.add("shards disagree on N: " + counts);
    } else {
      int n = counts.first();
      if (services.size() != n || !indexes.equals(range(n))) {
        problems.add(services.size() + " services with shards " + indexes + " of " + n);
      }
    }
    Map<String, String> first = fleets.values().iterator().next();
    fleets.forEach(
        (service, fleet) -> {
          if (!fleet.equals(first)) {
            problems.add(service + " simulates another fleet: " + fleet + " against " + first);
          }
        });
    assertThat(problems).as("%s: simulator shards", rel(Manifests.COMPOSE)).isEmpty();
  }

  @Test
  void kubernetesJobRunsOneShardPerIndexWithArgsSimulateAccepts() {
    Doc job = simulatorJob();
    JsonNode spec = job.node().path("spec");
    int completions = spec.path("completions").asInt(-1);
    int parallelism = spec.path("parallelism").asInt(-1);
    List<String> problems = new ArrayList<>();
    if (completions != parallelism) {
      problems.add("completions " + completions + " but parallelism " + parallelism);
    }
    TreeSet<Integer> indexes = new TreeSet<>();
    Map<String, String> fleet = null;
    for (int k = 0; k < completions; k++) {
      List<String> args = k8sArgs(k);
      try {
        PsfleetApp.checkSimulateArgs(args.toArray(String[]::new));
      } catch (RuntimeException e) {
        problems.add("index " + k + ": " + e.getMessage());
        continue;
      }
      Map<String, String> opts = options(args);
      Shard shard = Shard.parse(opts.remove("--shard"));
      if (shard.count() != completions) {
        problems.add("index " + k + ": --shard " + shard + " but completions " + completions);
      }
      indexes.add(shard.index());
      if (fleet == null) {
        fleet = opts;
      } else if (!fleet.equals(opts)) {
        problems.add("index " + k + " simulates another fleet: " + opts);
      }
    }
    if (!indexes.equals(range(completions))) {
      problems.add("shards " + indexes + " for " + completions + " completions");
    }
    assertThat(problems).as("%s", job.where()).isEmpty();
  }

  @Test
  void simulatorImagesRunTheJarTheBuildProduces() {
    String jarName = Manifests.shadedJarName("agent-sim");
    String source = "agent-sim/target/" + jarName;
    String inImage = Manifests.copies(Manifests.SIMULATOR_DOCKERFILE).get(source);
    assertThat(inImage)
        .as(
            "%s copies %s (the agent-sim shade plugin's outputFile)",
            rel(Manifests.SIMULATOR_DOCKERFILE), source)
        .isNotNull();
    assertThat(Manifests.pomText("agent-sim", "mainClass"))
        .as("agent-sim/pom.xml: the jar's Main-Class, which java -jar runs")
        .isEqualTo(PsfleetApp.class.getName());
    assertThat(Manifests.entrypoint(Manifests.SIMULATOR_DOCKERFILE))
        .as("%s: ENTRYPOINT", rel(Manifests.SIMULATOR_DOCKERFILE))
        .containsExactly("java", "-jar", inImage);
    assertThat(k8sCommandLine(0).subList(0, 4))
        .as("%s: the shell line starts the jar the image holds", simulatorJob().where())
        .containsExactly("exec", "java", "-jar", inImage);
    String composeImage =
        Manifests.servicesBuiltFrom(Manifests.SIMULATOR_DOCKERFILE)
            .values()
            .iterator()
            .next()
            .path("image")
            .asText();
    assertThat(Manifests.imageName(simulatorContainer().path("image").asText()))
        .as(
            "%s: image is the one compose builds from %s",
            simulatorJob().where(), rel(Manifests.SIMULATOR_DOCKERFILE))
        .isEqualTo(Manifests.imageName(composeImage));
  }

  private static TreeSet<Integer> range(int n) {
    TreeSet<Integer> all = new TreeSet<>();
    for (int i = 1; i <= n; i++) {
      all.add(i);
    }
    return all;
  }
}
