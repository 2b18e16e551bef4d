package io.psfleet.bench;

import io.psfleet.agent.publish.KafkaPublisherConfig;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.tools.ProducerPerformance;

/**
 * Kafka's own producer benchmark, run in this JVM against the same broker with the same producer
 * settings as the simulator's publisher, so the two figures compare the simulator with the client's
 * ceiling on this machine, not with a number from elsewhere.
 */
public final class ProducerPerformanceRun {
  private static final Pattern RATE = Pattern.compile("([0-9.]+) records/sec");

  /** Records per second of the final summary line, and the line itself. */
  public record Result(double recordsPerSecond, String summary) {}

  private ProducerPerformanceRun() {}

  public static Result run(String bootstrap, String topic, long records, int recordSize)
      throws Exception {
    List<String> args =
        new ArrayList<>(
            List.of(
                "--topic",
                topic,
                "--num-records",
                Long.toString(records),
                "--record-size",
                Integer.toString(recordSize),
                "--throughput",
                "-1",
                "--producer-props",
                "bootstrap.servers=" + bootstrap));
    for (Map.Entry<String, String> setting : KafkaPublisherConfig.defaults().entrySet()) {
      args.add(setting.getKey() + "=" + setting.getValue());
    }
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    PrintStream original = System.out;
    synchronized (System.class) {
      System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
      try {
        ProducerPerformance.main(args.toArray(String[]::new));
      } finally {
        System.setOut(original);
      }
    }
    String output = captured.toString(StandardCharsets.UTF_8).trim();
    String last = output.substring(output.lastIndexOf('\n') + 1);
    Matcher m = RATE.matcher(last);
    if (!m.find()) {
      throw new IllegalStateException("ProducerPerformance printed no summary:\n" + output);
    }
    return new Result(Double.parseDouble(m.group(1)), last);
  }
}
