package io.psfleet.cli.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The slice of Flink's REST API a cluster run needs: upload the job jar, run it, watch it, cancel
 * it. It is what {@code flink run} does, without needing a Flink distribution on the machine.
 */
final class FlinkRest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final URI base;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  FlinkRest(URI base) {
    this.base = base;
  }

  URI base() {
    return base;
  }

  /** {@code GET /overview}: task managers, slots and job counts. */
  JsonNode overview() throws IOException, InterruptedException {
    return get("/overview");
  }

  /** Uploads a jar ({@code POST /jars/upload}); returns the id {@link #run} takes. */
  String upload(Path jar) throws IOException, InterruptedException {
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
      throw new ClusterException("the JobManager accepted " + jar + " but named no jar id");
    }
    return Path.of(filename).getFileName().toString();
  }

  /** Runs an uploaded jar ({@code POST /jars/:id/run}); returns the job id. */
  String run(String jarId, String entryClass, List<String> args, int parallelism)
      throws IOException, InterruptedException {
    String body =
        JSON.writeValueAsString(
            Map.of("entryClass", entryClass, "programArgsList", args, "parallelism", parallelism));
    HttpRequest request =
        HttpRequest.newBuilder(base.resolve("/jars/" + jarId + "/run"))
            .timeout(Duration.ofMinutes(2))
            .header("Content-Type", "application/json")
            .POST(BodyPublishers.ofString(body))
            .build();
    return send(request).path("jobid").asText();
  }

  /** {@code GET /jobs/:id}: state, vertices, timestamps. */
  JsonNode job(String jobId) throws IOException, InterruptedException {
    return get("/jobs/" + jobId);
  }

  /** How often the job has restarted since it was submitted (the {@code numRestarts} metric). */
  long restarts(String jobId) throws IOException, InterruptedException {
    for (JsonNode metric : get("/jobs/" + jobId + "/metrics?get=numRestarts")) {
      return metric.path("value").asLong();
    }
    return 0;
  }

  /** The root exception of the job's latest failure, or empty. */
  String rootException(String jobId) throws IOException, InterruptedException {
    JsonNode latest =
        get("/jobs/" + jobId + "/exceptions").path("exceptionHistory").path("entries");
    return latest.isEmpty() ? "" : latest.get(0).path("stacktrace").asText();
  }

  /** Cancels a job ({@code PATCH /jobs/:id?mode=cancel}). */
  void cancel(String jobId) throws IOException, InterruptedException {
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
      throw new ClusterException(
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
