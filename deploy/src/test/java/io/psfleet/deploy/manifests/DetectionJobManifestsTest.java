package io.psfleet.deploy.manifests;

import static io.psfleet.deploy.manifests.Manifests.rel;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import com.fasterxml.jackson.databind.JsonNode;
import io.psfleet.deploy.manifests.Manifests.Doc;
import io.psfleet.jobs.FleetDetectionJob;
import io.psfleet.jobs.JobConfig;
import io.psfleet.schema.Topics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.flink.util.TimeUtils;
import org.junit.jupiter.api.Test;

/**
 * The detection job as compose and the Flink operator run it: the right class, from the jar the
 * build produces, at the path the image puts it, with arguments the job accepts and settings that
 * agree with the cluster's.
 */
class DetectionJobManifestsTest {
  /** The options of Flink's standalone-job entrypoint that may precede the job's own arguments. */
  private static final List<String> ENTRYPOINT_OPTIONS =
      List.of("--job-classname", "-j", "--job-id", "-jid", "--fromSavepoint", "-s", "--jars");

  static Doc flinkDeployment() {
    return Manifests.theOnly("FlinkDeployment");
  }

  static List<String> k8sJobArgs() {
    List<String> args = new ArrayList<>();
    flinkDeployment()
        .node()
        .path("spec")
        .path("job")
        .path("args")
        .forEach(a -> args.add(a.asText()));
    return Manifests.withLocalKafkaConfig(args);
  }

  static JsonNode jobManager() {
    return Manifests.compose().path("services").path("jobmanager");
  }

  /** The job's arguments in the JobManager's command: what follows the job's class name. */
  static List<String> composeJobArgs() {
    List<String> command = Manifests.command(jobManager());
    int at = command.indexOf("--job-classname");
    assertThat(at)
        .as("%s: jobmanager command has --job-classname", rel(Manifests.COMPOSE))
        .isNotNegative();
    List<String> args = command.subList(at + 2, command.size());
    assertThat(args)
        .as("%s: Flink's own options must come before the job's class name", rel(Manifests.COMPOSE))
        .doesNotContainAnyElementsOf(ENTRYPOINT_OPTIONS);
    return Manifests.withComposeKafkaConfig("jobmanager", jobManager(), args);
  }

  static JobConfig parse(List<String> args) {
    return JobConfig.fromArgs(args.toArray(String[]::new));
  }

  /** Where job.Dockerfile puts the job jar. */
  static String jarInImage() {
    String source = "stream-jobs/target/" + Manifests.shadedJarName("stream-jobs");
    String destination = Manifests.copies(Manifests.JOB_DOCKERFILE).get(source);
    assertThat(destination)
        .as(
            "%s copies %s (the stream-jobs shade plugin's outputFile); copies: %s",
            rel(Manifests.JOB_DOCKERFILE), source, Manifests.copies(Manifests.JOB_DOCKERFILE))
        .isNotNull();
    return destination;
  }

  @Test
  void flinkDeploymentRunsTheDetectionJobFromTheJarTheImageHolds() {
    Doc doc = flinkDeployment();
    JsonNode job = doc.node().path("spec").path("job");
    assertThat(job.path("entryClass").asText())
        .as("%s: job.entryClass", doc.where())
        .isEqualTo(FleetDetectionJob.class.getName());
    String jarUri = job.path("jarURI").asText();
    assertThat(jarUri)
        .as("%s: job.jarURI is a local:// path in the image", doc.where())
        .startsWith("local://");
    assertThat(jarUri.substring("local://".length()))
        .as(
            "%s: job.jarURI against where %s copies the jar",
            doc.where(), rel(Manifests.JOB_DOCKERFILE))
        .isEqualTo(jarInImage());
    assertThat(jarInImage())
        .as(
            "%s: application mode loads user code from /opt/flink/usrlib",
            rel(Manifests.JOB_DOCKERFILE))
        .startsWith("/opt/flink/usrlib/");
  }

  @Test
  void flinkDeploymentJobArgsAreAcceptedByTheJob() {
    List<String> args = k8sJobArgs();
    assertThatCode(() -> parse(args))
        .as("%s: job.args %s parsed by JobConfig.fromArgs", flinkDeployment().where(), args)
        .doesNotThrowAnyException();
  }

  @Test
  void composeJobManagerRunsTheDetectionJobWithArgsTheJobAccepts() {
    List<String> command = Manifests.command(jobManager());
    assertThat(command).as("%s: jobmanager command", rel(Manifests.COMPOSE)).isNotEmpty();
    assertThat(command.get(0))
        .as("%s: jobmanager runs Flink's application-mode entrypoint", rel(Manifests.COMPOSE))
        .isEqualTo("standalone-job");
    assertThat(command.get(command.indexOf("--job-classname") + 1))
        .as("%s: jobmanager --job-classname", rel(Manifests.COMPOSE))
        .isEqualTo(FleetDetectionJob.class.getName());
    List<String> args = composeJobArgs();
    assertThatCode(() -> parse(args))
        .as(
            "%s: jobmanager job arguments %s parsed by JobConfig.fromArgs",
            rel(Manifests.COMPOSE), args)
        .doesNotThrowAnyException();
  }

  @Test
  void composeRunsJobManagerAndTaskManagerFromTheJobImage() {
    Map<String, JsonNode> built = Manifests.servicesBuiltFrom(Manifests.JOB_DOCKERFILE);
    assertThat(built.keySet())
        .as(
            "%s: services built from %s (build.context must be the repository root)",
            rel(Manifests.COMPOSE), rel(Manifests.JOB_DOCKERFILE))
        .contains("jobmanager", "taskmanager");
    String image = built.get("jobmanager").path("image").asText();
    assertThat(Manifests.imageName(flinkDeployment().node().path("spec").path("image").asText()))
        .as(
            "%s: spec.image is the image compose builds from job.Dockerfile",
            flinkDeployment().where())
        .isEqualTo(Manifests.imageName(image));
  }

  @Test
  void jobParallelismAndCheckpointIntervalAgreeWithTheClusterSettings() {
    // The job applies its own --parallelism and --checkpoint-interval over the cluster's values;
    // the manifests must not promise something else (the operator sizes TaskManagers by
    // job.parallelism, readers of the YAML trust execution.checkpointing.interval).
    List<String> problems = new ArrayList<>();
    Doc doc = flinkDeployment();
    JobConfig k8s = parse(k8sJobArgs());
    int declared = doc.node().path("spec").path("job").path("parallelism").asInt(-1);
    if (declared != k8s.parallelism()) {
      problems.add(
          doc.where() + ": job.parallelism " + declared + ", --parallelism " + k8s.parallelism());
    }
    String interval =
        doc.node()
            .path("spec")
            .path("flinkConfiguration")
            .path("execution.checkpointing.interval")
            .asText("");
    compareInterval(problems, doc.where(), interval, k8s.checkpointInterval());

    JobConfig compose = parse(composeJobArgs());
    Map<String, String> props = Manifests.flinkProperties(jobManager());
    compareInterval(
        problems,
        rel(Manifests.COMPOSE) + " (jobmanager)",
        props.getOrDefault("execution.checkpointing.interval", ""),
        compose.checkpointInterval());
    String parallelism = props.getOrDefault("parallelism.default", "");
    if (!parallelism.isEmpty() && Integer.parseInt(parallelism) != compose.parallelism()) {
      problems.add(
          rel(Manifests.COMPOSE)
              + " (jobmanager): parallelism.default "
              + parallelism
              + ", --parallelism "
              + compose.parallelism());
    }
    assertThat(problems).as("job settings against cluster settings").isEmpty();
  }

  private static void compareInterval(
      List<String> problems, String where, String text, Duration job) {
    if (text.isEmpty()) {
      problems.add(
          where + ": execution.checkpointing.interval is not set (the job uses " + job + ")");
    } else if (!TimeUtils.parseDuration(text).equals(job)) {
      problems.add(
          where + ": execution.checkpointing.interval " + text + ", --checkpoint-interval " + job);
    }
  }

  @Test
  void composeTaskManagerSlotsCoverTheJobParallelism() {
    JsonNode tm = Manifests.compose().path("services").path("taskmanager");
    int slots =
        Integer.parseInt(
            Manifests.flinkProperties(tm).getOrDefault("taskmanager.numberOfTaskSlots", "1"));
    int replicas = tm.path("deploy").path("replicas").asInt(tm.path("scale").asInt(1));
    int parallelism = parse(composeJobArgs()).parallelism();
    assertThat(slots * replicas)
        .as(
            "%s: taskmanager slots (%d) x replicas (%d) against the job's --parallelism %d",
            rel(Manifests.COMPOSE), slots, replicas, parallelism)
        .isGreaterThanOrEqualTo(parallelism);
  }

  @Test
  void telemetryPartitionsGiveEveryJobSubtaskAReader() {
    int composePartitions = composeTelemetryPartitions();
    int composeParallelism = parse(composeJobArgs()).parallelism();
    assertThat(composePartitions)
        .as(
            "%s: %s partitions against the job's --parallelism",
            rel(Manifests.COMPOSE), Topics.TELEMETRY)
        .isGreaterThanOrEqualTo(composeParallelism);
    int k8sPartitions =
        Manifests.k8s("KafkaTopic").stream()
            .filter(d -> d.node().path("spec").path("topicName").asText().equals(Topics.TELEMETRY))
            .mapToInt(d -> d.node().path("spec").path("partitions").asInt())
            .findFirst()
            .orElse(0);
    assertThat(k8sPartitions)
        .as(
            "deploy/k8s: %s partitions against the FlinkDeployment's --parallelism",
            Topics.TELEMETRY)
        .isGreaterThanOrEqualTo(parse(k8sJobArgs()).parallelism());
  }

  private static int composeTelemetryPartitions() {
    String script = String.join("\n", Manifests.command(TopicManifestsTest.topicsService()));
    Matcher m =
        Pattern.compile("(?m)^\\s*create\\s+" + Pattern.quote(Topics.TELEMETRY) + "\\s+(\\d+)")
            .matcher(script);
    return m.find() ? Integer.parseInt(m.group(1)) : 0;
  }

  @Test
  void checkpointAndSavepointDirectoriesLieOnMountedVolumes() {
    List<String> problems = new ArrayList<>();
    // Flink operator: every file:// directory must be under a volume mounted into the pods.
    Doc doc = flinkDeployment();
    JsonNode spec = doc.node().path("spec");
    List<String> mounts = new ArrayList<>();
    Manifests.container(spec.path("podTemplate"), "flink-main-container")
        .path("volumeMounts")
        .forEach(m -> mounts.add(m.path("mountPath").asText()));
    for (String key :
        List.of(
            "execution.checkpointing.dir",
            "execution.checkpointing.savepoint-dir",
            "high-availability.storageDir")) {
      String dir = spec.path("flinkConfiguration").path(key).asText("");
      if (dir.isEmpty()) {
        problems.add(doc.where() + ": " + key + " is not set");
      } else if (dir.startsWith("file://") && mounts.stream().noneMatch(m -> under(dir, m))) {
        problems.add(doc.where() + ": " + key + " " + dir + " is on no mounted volume " + mounts);
      }
    }
    // Compose: the JobManager and the TaskManagers all write checkpoints.
    Map<String, String> props = Manifests.flinkProperties(jobManager());
    for (String key :
        List.of("execution.checkpointing.dir", "execution.checkpointing.savepoint-dir")) {
      String dir = props.getOrDefault(key, "");
      for (String service :
          key.endsWith("savepoint-dir")
              ? List.of("jobmanager")
              : List.of("jobmanager", "taskmanager")) {
        List<String> targets = new ArrayList<>();
        Manifests.compose()
            .path("services")
            .path(service)
            .path("volumes")
            .forEach(
                v ->
                    targets.add(
                        v.isTextual() ? v.asText().split(":")[1] : v.path("target").asText()));
        if (dir.isEmpty()) {
          problems.add(rel(Manifests.COMPOSE) + " (jobmanager): " + key + " is not set");
        } else if (targets.stream().noneMatch(t -> under(dir, t))) {
          problems.add(
              rel(Manifests.COMPOSE)
                  + " ("
                  + service
                  + "): "
                  + key
                  + " "
                  + dir
                  + " is on no volume "
                  + targets);
        }
      }
    }
    assertThat(problems).as("checkpoint storage").isEmpty();
  }

  private static boolean under(String fileUri, String mountPath) {
    String path = fileUri.replaceFirst("^file://", "");
    String mount = mountPath.endsWith("/") ? mountPath : mountPath + "/";
    return path.equals(mountPath) || path.startsWith(mount);
  }
}
