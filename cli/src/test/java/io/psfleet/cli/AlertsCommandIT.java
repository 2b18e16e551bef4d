package io.psfleet.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.psfleet.jobs.alert.Alert;
import io.psfleet.jobs.alert.Rule;
import io.psfleet.kafka.EmbeddedKafkaExtension;
import io.psfleet.schema.Topics;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ./psfleet alerts} against the embedded broker: the alerts topic holds findings as the job
 * writes them, one record that is not JSON, one finding that is not valid OCSF, and one finding of
 * an aborted transaction, which a read_committed consumer never sees.
 */
class AlertsCommandIT {
  @RegisterExtension static final EmbeddedKafkaExtension KAFKA = new EmbeddedKafkaExtension();

  static final Alert INJECTION = AlertFindings.alert(Rule.DLL_INJECTION, "host-000001", 10);
  static final Alert SPOOFING = AlertFindings.alert(Rule.PPID_SPOOFING, "host-000002", 20);
  static final Alert MACRO = AlertFindings.alert(Rule.SUSPICIOUS_LINEAGE, "host-000002", 30);
  static final Alert CAMPAIGN =
      AlertFindings.alert(Rule.FLEET_RARE_MODULE, "host-000003", 40, "host-000004", "host-000005");
  static final Alert INVALID =
      AlertFindings.alert(Rule.SENSITIVE_PROCESS_MODULE, "host-000001", 50);
  static final Alert ABORTED = AlertFindings.alert(Rule.SEARCH_ORDER_HIJACK, "host-000006", 60);

  @BeforeAll
  static void fillTheAlertsTopic() throws Exception {
    KAFKA.kafka().createTopics(4, Topics.ALERTS);
    try (KafkaProducer<byte[], byte[]> producer = producer(Map.of())) {
      for (Alert a : List.of(INJECTION, SPOOFING, MACRO, CAMPAIGN)) {
        send(producer, Topics.ALERTS, a.hostId(), AlertFindings.json(a));
      }
      send(producer, Topics.ALERTS, "host-000009", AlertFindings.broken());
      send(producer, Topics.ALERTS, INVALID.hostId(), AlertFindings.invalid(INVALID));
    }
    try (KafkaProducer<byte[], byte[]> tx =
        producer(Map.of(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "alerts-it-aborted"))) {
      tx.initTransactions();
      tx.beginTransaction();
      send(tx, Topics.ALERTS, ABORTED.hostId(), AlertFindings.json(ABORTED));
      tx.abortTransaction();
    }
  }

  @Test
  void fromTheBeginningEveryCommittedAlertIsALineAndValidateReportsTheInvalidOne() {
    Run run = run("--from-beginning", "--validate", "--timeout", "3s");

    List<String> lines = run.out.lines().toList();
    assertThat(lines.get(0))
        .isEqualTo(
            "psfleet alerts: following psfleet.alerts at "
                + KAFKA.bootstrapServers()
                + " (4 partitions) from its beginning; stops after 3s without a new alert");
    assertThat(lines)
        .contains(
            "2026-11-24T08:00:10.004Z  psfleet-001  T1055.001  host-000001  "
                + INJECTION.uid()
                + "  "
                + INJECTION.message(),
            "2026-11-24T08:00:20.004Z  psfleet-003  T1134.004  host-000002  "
                + SPOOFING.uid()
                + "  "
                + SPOOFING.message(),
            "2026-11-24T08:00:30.004Z  psfleet-004  T1204.002  host-000002  "
                + MACRO.uid()
                + "  "
                + MACRO.message(),
            "2026-11-24T08:00:40.004Z  psfleet-006  T1570      host-000003  "
                + CAMPAIGN.uid()
                + "  "
                + CAMPAIGN.message());
    assertThat(lines).noneSatisfy(l -> assertThat(l).contains(ABORTED.uid()));
    assertThat(lines)
        .filteredOn(l -> l.startsWith("unreadable record psfleet.alerts-"))
        .singleElement()
        .satisfies(l -> assertThat(l).contains("skipped: not JSON: "));
    int invalid = indexOfLineContaining(lines, INVALID.uid());
    assertThat(lines.get(invalid)).startsWith("2026-11-24T08:00:50.004Z  psfleet-002  T1547.005");
    assertThat(lines.get(invalid + 1)).startsWith("  invalid OCSF: ");
    assertThat(lines.stream().filter(l -> l.startsWith("  invalid OCSF: ")))
        .anySatisfy(l -> assertThat(l).contains("device.os"));
    assertThat(lines.get(lines.size() - 1))
        .isEqualTo(
            "psfleet alerts: 5 alerts (4 valid, 1 invalid OCSF 1.3.0), 1 unreadable record"
                + " (no new alert for 3s)");
    assertThat(run.exit).as("an invalid finding fails --validate").isEqualTo(1);
  }

  @Test
  void rulesAndHostsFilterTheFeed() {
    Run byRule =
        run(
            "--from-beginning",
            "--timeout",
            "2s",
            "--rule",
            "psfleet-003",
            "--rule",
            "psfleet-006");
    Run byHost = run("--from-beginning", "--timeout", "2s", "--host", "host-000002");
    Run campaignHost =
        run(
            "--from-beginning",
            "--timeout",
            "2s",
            "--rule",
            "fleet-rare-module",
            "--host",
            "host-000005");

    assertThat(alertUids(byRule)).containsExactlyInAnyOrder(SPOOFING.uid(), CAMPAIGN.uid());
    assertThat(byRule.out).contains("2 alerts, 1 unreadable record, 3 not matching --rule (");
    assertThat(alertUids(byHost)).containsExactlyInAnyOrder(SPOOFING.uid(), MACRO.uid());
    assertThat(byHost.out).contains("2 alerts, 1 unreadable record, 3 not matching --host (");
    assertThat(alertUids(campaignHost)).containsExactly(CAMPAIGN.uid());
    assertThat(byRule.exit).isZero();
    assertThat(byHost.exit).isZero();
  }

  @Test
  void jsonPrintsTheFindingsAloneAndMaxStops() {
    Run run =
        run(
            "--from-beginning",
            "--json",
            "--rule",
            "psfleet-001",
            "--rule",
            "psfleet-003",
            "--max",
            "2");

    assertThat(run.out.lines().toList())
        .containsExactlyInAnyOrder(
            new String(AlertFindings.json(INJECTION), StandardCharsets.UTF_8),
            new String(AlertFindings.json(SPOOFING), StandardCharsets.UTF_8));
    assertThat(run.err).contains("following psfleet.alerts", "2 alerts", "(--max 2 reached)");
    assertThat(run.exit).isZero();
  }

  @Test
  void withoutFromBeginningOnlyNewAlertsShow() throws Exception {
    String topic = "live.alerts";
    KAFKA.kafka().createTopics(2, topic);
    Alert old = AlertFindings.alert(Rule.DLL_INJECTION, "host-000007", 70);
    Alert fresh = AlertFindings.alert(Rule.DLL_INJECTION, "host-000007", 80);
    try (KafkaProducer<byte[], byte[]> producer = producer(Map.of())) {
      send(producer, topic, old.hostId(), AlertFindings.json(old));
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    CompletableFuture<Integer> exit =
        CompletableFuture.supplyAsync(
            () ->
                Psfleet.run(
                    new String[] {
                      "alerts",
                      "--bootstrap",
                      KAFKA.bootstrapServers(),
                      "--alerts-topic",
                      topic,
                      "--max",
                      "1",
                      "--timeout",
                      "60s"
                    },
                    new PrintStream(out, true, StandardCharsets.UTF_8),
                    System.err));
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (!out.toString(StandardCharsets.UTF_8).contains("following " + topic)) {
      assertThat(System.nanoTime()).as("the command started following").isLessThan(deadline);
      TimeUnit.MILLISECONDS.sleep(100);
    }
    try (KafkaProducer<byte[], byte[]> producer = producer(Map.of())) {
      send(producer, topic, fresh.hostId(), AlertFindings.json(fresh));
    }

    assertThat(exit.get(60, TimeUnit.SECONDS)).isZero();
    String console = out.toString(StandardCharsets.UTF_8);
    assertThat(console)
        .contains("from its end", fresh.uid(), "1 alert, 0 unreadable records (--max 1 reached)");
    assertThat(console).doesNotContain(old.uid());
  }

  @Test
  void aKafkaConfigFileReachesTheConsumer(@TempDir Path dir) throws Exception {
    Path plain = dir.resolve("plain.properties");
    Files.writeString(plain, "client.id=soc-watch\nfetch.max.wait.ms=100\n");
    Path ssl = dir.resolve("ssl.properties");
    Files.writeString(ssl, "security.protocol=SSL\n");

    Run works = run("--from-beginning", "--max", "1", "--kafka-config", plain.toString());
    Run tlsToAPlaintextBroker =
        run("--from-beginning", "--max", "1", "--kafka-config", ssl.toString());

    assertThat(works.exit).isZero();
    assertThat(works.out).contains("1 alert");
    assertThat(tlsToAPlaintextBroker.exit).isEqualTo(1);
    assertThat(tlsToAPlaintextBroker.err.lines().toList())
        .singleElement()
        .satisfies(
            l -> assertThat(l).startsWith("psfleet alerts: ").contains(KAFKA.bootstrapServers()));
  }

  @Test
  void aBootstrapThatDoesNotAnswerIsOneLineNamingItAndExitCodeOne() throws Exception {
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    String nobody = "127.0.0.1:" + port;
    long start = System.nanoTime();

    Run run = runAt(nobody, "--from-beginning");

    assertThat(run.exit).isEqualTo(1);
    assertThat(run.err.strip())
        .isEqualTo(
            "psfleet alerts: no Kafka broker answered at " + nobody + " (--bootstrap) within 10s");
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(30));
  }

  @Test
  void aMissingTopicIsOneLineAndExitCodeOne() {
    Run run = run("--alerts-topic", "no.such.alerts");

    assertThat(run.exit).isEqualTo(1);
    assertThat(run.err.strip())
        .startsWith(
            "psfleet alerts: Kafka at "
                + KAFKA.bootstrapServers()
                + " has no topic no.such.alerts");
  }

  private record Run(int exit, String out, String err) {}

  private static Run run(String... args) {
    return runAt(KAFKA.bootstrapServers(), args);
  }

  private static Run runAt(String bootstrap, String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    String[] all = new String[args.length + 3];
    all[0] = "alerts";
    all[1] = "--bootstrap";
    all[2] = bootstrap;
    System.arraycopy(args, 0, all, 3, args.length);
    int exit =
        Psfleet.run(
            all,
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));
    Run run =
        new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    System.out.println(
        "$ psfleet " + String.join(" ", all) + "\n" + run.out + run.err + "exit " + exit);
    return run;
  }

  private static List<String> alertUids(Run run) {
    return run.out.lines().filter(l -> l.startsWith("2026-")).map(l -> l.split("  +")[4]).toList();
  }

  private static int indexOfLineContaining(List<String> lines, String text) {
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).contains(text)) {
        return i;
      }
    }
    throw new AssertionError("no line contains " + text + ": " + lines);
  }

  private static KafkaProducer<byte[], byte[]> producer(Map<String, Object> extra) {
    Map<String, Object> props = new java.util.HashMap<>(extra);
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.bootstrapServers());
    return new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer());
  }

  private static void send(
      KafkaProducer<byte[], byte[]> producer, String topic, String key, byte[] value)
      throws Exception {
    producer.send(new ProducerRecord<>(topic, key.getBytes(StandardCharsets.UTF_8), value)).get();
  }
}
