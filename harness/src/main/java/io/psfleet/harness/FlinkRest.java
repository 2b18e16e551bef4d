package io.psfleet.harness;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.psfleet.jobs.FleetDetectionJob;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * The slice of Flink's REST API a cluster run needs: upload the job jar, run it, watch it, cancel
 * it. It is what {@code flink run} does, without needing a Flink distribution on the machine.
 */
public final class FlinkRest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final URI base;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  public FlinkRest(URI base) {
    this.base = base;
  }

  public URI base() {
    return base;
  }

  /** {@code GET /overview}: task managers, slots and job counts. */
  public JsonNode overview() throws IOException, InterruptedException {
    return get("/overview");
  }

  /** Uploads a jar ({@code POST /jars/upload}); returns the id {@link #run} takes. */
  private String upload(Path jar) throws IOException, InterruptedException {
    String boundary = "psfleet-" + UUID.randomUUID();
    String head =
        "--"
            + boundary
            + "\r\nContent-Disposition: form-data; name=\"jarfile\"; filename=\""
            + jar.getFileName()
            + "\"\r\nContent-Type: application/x-java-archive\r\n\r\n";
    HttpRequest request =
        HttpRequest.newBuilder(base.resolve("/jars/upload"))
            .timeout(Duration.ofMinutes(2))
            .header("Content-Type", "multipart/form-data; boundary=" + boundary)
            .POST(
                BodyPublishers.concat(
                    BodyPublishers.ofString(head),
                    BodyPublishers.ofFile(jar),
                    BodyPublishers.ofString("\r\n--" + boundary + "--\r\n")))
            .build();
    String filename = send(request).path("filename").asText();
    if (filename.isEmpty()) {
      throw new FlinkRestException("the JobManager accepted " + jar + " but named no jar id");
    }
    return Path.of(filename).getFileName().toString();
  }

  /** Runs an uploaded jar ({@code POST /jars/:id/run}); returns the job id. */
  private String run(
      String jarId, String entryClass, List<String> args, int parallelism, String savepoint)
      throws IOException, InterruptedException {
    Map<String, Object> fields = new LinkedHashMap<>();
    fields.put("entryClass", entryClass);
    fields.put("programArgsList", args);
    fields.put("parallelism", parallelism);
    if (savepoint != null) {
      // Every stateful operator has a stable uid: all of the savepoint's state must find its
      // operator, so allowNonRestoredState stays false.
      fields.put("savepointPath", savepoint);
    }
    String body = JSON.writeValueAsString(fields);
    HttpRequest request =
        HttpRequest.newBuilder(base.resolve("/jars/" + jarId + "/run"))
            .timeout(Duration.ofMinutes(2))
            .header("Content-Type", "application/json")
            .POST(BodyPublishers.ofString(body))
            .build();
    return send(request).path("jobid").asText();
  }

  /**
   * Uploads the detection job's jar, runs {@link FleetDetectionJob} with {@code args}, and waits
   * until every task of the job runs.
   *
   * @return the job id
   * @throws FlinkRestException when the job fails or does not run within {@code timeout}, with
   *     Flink's root exception
   */
  public String submit(Path jobJar, List<String> args, int parallelism, Duration timeout)
      throws IOException, InterruptedException {
    return submit(jobJar, args, parallelism, timeout, null);
  }

  /**
   * As {@link #submit(Path, List, int, Duration)}, resuming from {@code savepoint} (a location
   * {@link #stopWithSavepoint} returned), or from nothing when it is null.
   */
  public String submit(
      Path jobJar, List<String> args, int parallelism, Duration timeout, String savepoint)
      throws IOException, InterruptedException {
    String jobId =
        run(upload(jobJar), FleetDetectionJob.class.getName(), args, parallelism, savepoint);
    long deadline = System.nanoTime() + timeout.toNanos();
    String state = "";
    while (System.nanoTime() < deadline) {
      JsonNode job = job(jobId);
      state = job.path("state").asText();
      if (state.equals("RUNNING") && allTasksRunning(job)) {
        return jobId;
      }
      if (state.equals("FAILED") || state.equals("CANCELED")) {
        break;
      }
      TimeUnit.MILLISECONDS.sleep(500);
    }
    throw new FlinkRestException(
        "the detection job did not start on "
            + base
            + " (state "
            + state
            + "): "
            + rootException(jobId));
  }

  private static boolean allTasksRunning(JsonNode job) {
    for (JsonNode vertex : job.path("vertices")) {
      if (!vertex.path("status").asText().equals("RUNNING")) {
        return false;
      }
    }
    return true;
  }

  /** {@code GET /jobs/:id}: state, vertices, timestamps. */
  public JsonNode job(String jobId) throws IOException, InterruptedException {
    return get("/jobs/" + jobId);
  }

  /** How often the job has restarted since it was submitted (the {@code numRestarts} metric). */
  public long restarts(String jobId) throws IOException, InterruptedException {
    for (JsonNode metric : get("/jobs/" + jobId + "/metrics?get=numRestarts")) {
      return metric.path("value").asLong();
    }
    return 0;
  }

  /**
   * The sum over every subtask of every operator metric of the job named {@code name} (an
   * operator's own counter or gauge, such as {@code deadLetters}), 0 when no operator has it.
   */
  public long operatorMetricSum(String jobId, String name)
      throws IOException, InterruptedException {
    long sum = 0;
    for (JsonNode vertex : job(jobId).path("vertices")) {
      String path = "/jobs/" + jobId + "/vertices/" + vertex.path("id").asText();
      List<String> ids = new ArrayList<>();
      for (JsonNode metric : get(path + "/subtasks/metrics")) {
        String id = metric.path("id").asText();
        if (id.endsWith("." + name)) {
          ids.add(URLEncoder.encode(id, StandardCharsets.UTF_8)); // operator names have spaces
        }
      }
      if (!ids.isEmpty()) {
        for (JsonNode metric :
            get(path + "/subtasks/metrics?agg=sum&get=" + String.join(",", ids))) {
          sum += (long) metric.path("sum").asDouble();
        }
      }
    }
    return sum;
  }

  /** {@code GET /jobs/:id/checkpoints}: counts, the latest completed, failed and restored. */
  public JsonNode checkpoints(String jobId) throws IOException, InterruptedException {
    return get("/jobs/" + jobId + "/checkpoints");
  }

  /** The state size of the job's latest completed checkpoint in bytes, -1 before the first. */
  public long latestCheckpointBytes(String jobId) throws IOException, InterruptedException {
    JsonNode completed = get("/jobs/" + jobId + "/checkpoints").path("latest").path("completed");
    return completed.isMissingNode() || completed.isNull()
        ? -1
        : completed.path("state_size").asLong(-1);
  }

  /**
   * The id of the checkpoint (or savepoint) the job last restored its state from, -1 when it has
   * restored none: after a restart, proof that it resumed instead of starting empty.
   */
  public long latestRestoredCheckpoint(String jobId) throws IOException, InterruptedException {
    JsonNode restored = get("/jobs/" + jobId + "/checkpoints").path("latest").path("restored");
    return restored.isMissingNode() || restored.isNull() ? -1 : restored.path("id").asLong(-1);
  }

  /** The root exception of the job's latest failure, or empty. */
  public String rootException(String jobId) throws IOException, InterruptedException {
    JsonNode latest =
        get("/jobs/" + jobId + "/exceptions").path("exceptionHistory").path("entries");
    return latest.isEmpty() ? "" : latest.get(0).path("stacktrace").asText();
  }

  /**
   * Stops a job with a savepoint into {@code targetDirectory} ({@code POST /jobs/:id/stop}), which
   * also commits its last Kafka transaction, and waits for the savepoint.
   *
   * @return the savepoint's location, what {@link #submit(Path, List, int, Duration, String)}
   *     resumes from
   */
  public String stopWithSavepoint(String jobId, String targetDirectory, Duration timeout)
      throws IOException, InterruptedException {
    String body =
        JSON.writeValueAsString(Map.of("targetDirectory", targetDirectory, "drain", false));
    String trigger =
        send(HttpRequest.newBuilder(base.resolve("/jobs/" + jobId + "/stop"))
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .POST(BodyPublishers.ofString(body))
                .build())
            .path("request-id")
            .asText();
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      JsonNode status = get("/jobs/" + jobId + "/savepoints/" + trigger);
      if (status.path("status").path("id").asText().equals("COMPLETED")) {
        JsonNode failure = status.path("operation").path("failure-cause");
        if (!failure.isMissingNode() && !failure.isNull()) {
          throw new FlinkRestException(
              "the savepoint of job " + jobId + " failed: " + failure.path("class").asText());
        }
        return status.path("operation").path("location").asText();
      }
      TimeUnit.MILLISECONDS.sleep(500);
    }
    throw new FlinkRestException(
        "the savepoint of job " + jobId + " did not complete in " + timeout);
  }

  /** Cancels a job ({@code PATCH /jobs/:id?mode=cancel}). */
  public void cancel(String jobId) throws IOException, InterruptedException {
    send(
        HttpRequest.newBuilder(base.resolve("/jobs/" + jobId + "?mode=cancel"))
            .timeout(Duration.ofSeconds(30))
            .method("PATCH", BodyPublishers.noBody())
            .build());
  }

  private JsonNode get(String path) throws IOException, InterruptedException {
    return send(HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(10)).build());
  }

  private JsonNode send(HttpRequest request) throws IOException, InterruptedException {
    HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() / 100 != 2) {
      throw new FlinkRestException(
          request.method()
              + " "
              + request.uri()
              + " answered "
              + response.statusCode()
              + ": "
              + response.body());
    }
    String body = response.body();
    return body.isBlank() ? JSON.createObjectNode() : JSON.readTree(body);
  }
}
