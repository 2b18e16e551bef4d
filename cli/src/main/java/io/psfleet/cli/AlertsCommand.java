package io.psfleet.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.psfleet.commandline.Commands;
import io.psfleet.commandline.Converters;
import io.psfleet.commandline.Durations;
import io.psfleet.commandline.KafkaClientConfig;
import io.psfleet.commandline.KafkaConfigOption;
import io.psfleet.commandline.UnreachableException;
import io.psfleet.commandline.UsageException;
import io.psfleet.jobs.alert.OcsfDetectionFinding;
import io.psfleet.jobs.alert.ReadFinding;
import io.psfleet.jobs.alert.Rule;
import io.psfleet.ocsf.Issue;
import io.psfleet.ocsf.OcsfValidator;
import io.psfleet.ocsf.ValidationResult;
import io.psfleet.schema.Topics;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Help.Visibility;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.TypeConversionException;

/**
 * {@code ./psfleet alerts}: the SOC's view of the alert feed. Follows the alerts topic as a
 * consumer without a group (every partition assigned, nothing committed, so it never disturbs
 * another reader), committed records only: the job's sink is transactional, and an aborted
 * transaction's alerts were never alerts. Each finding is read through {@link
 * OcsfDetectionFinding#read}, the reader beside the writer, so every version of the format reads;
 * with {@code --validate} it is also checked against OCSF 1.3.0 by {@link OcsfValidator}.
 *
 * <p>A record that is not a JSON object is reported and skipped. Ends after {@code --max} alerts,
 * after {@code --timeout} without one, or at Ctrl-C, each time with the counts.
 */
@Command(
    name = "alerts",
    mixinStandardHelpOptions = true,
    versionProvider = Commands.Version.class,
    showDefaultValues = true,
    description = {
      "Follows the alert feed ("
          + Topics.ALERTS
          + ", OCSF 1.3 Detection Findings; committed"
          + " records only) and prints one line per alert: event time (UTC), rule, ATT&CK"
          + " technique, host, finding uid, message. --json prints each finding instead, one per"
          + " line (then notes and counts go to standard error).",
      "Starts at the end of the topic (new alerts only) unless --from-beginning; runs until"
          + " Ctrl-C, --max or --timeout, then prints the counts. With --validate each finding is"
          + " checked against OCSF 1.3.0: the errors of one that does not validate follow its line,"
          + " and the exit code is 1 when any finding is invalid or any record unreadable."
    })
public final class AlertsCommand implements Callable<Integer> {
  /** How long the bootstrap has to answer before the command gives up on it. */
  static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);

  private static final Duration POLL = Duration.ofMillis(200);

  /** Consumer settings the command owns: a --kafka-config file may not change them. */
  private static final Map<String, String> OWNED =
      Map.of(
          ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName(),
          ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName(),
          ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
          ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false",
          // A watcher must not create the topic it watches.
          ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, "false");

  private final PrintStream out;

  @Spec CommandSpec spec;

  @Option(
      names = "--bootstrap",
      required = true,
      paramLabel = "HOST:PORT",
      description = "the Kafka cluster's bootstrap servers (comma-separated)")
  String bootstrap;

  @Mixin KafkaConfigOption kafka = new KafkaConfigOption();

  @Option(names = "--alerts-topic", paramLabel = "TOPIC", description = "the topic to follow")
  String topic = Topics.ALERTS;

  @Option(
      names = "--validate",
      description = "check each finding against OCSF 1.3.0; report the errors and count them")
  boolean validate;

  @Option(
      names = "--rule",
      showDefaultValue = Visibility.NEVER,
      paramLabel = "R",
      converter = RuleConverter.class,
      completionCandidates = RuleIds.class,
      description =
          "only this rule's alerts, by id (psfleet-001 ... psfleet-006) or name (dll-injection);"
              + " repeat for several")
  List<Rule> rules = new ArrayList<>();

  @Option(
      names = "--host",
      showDefaultValue = Visibility.NEVER,
      paramLabel = "H",
      description =
          "only alerts involving this host (the finding's host, or any host of a fleet finding);"
              + " repeat for several")
  List<String> hosts = new ArrayList<>();

  @Option(names = "--json", description = "print each finding's JSON, one per line")
  boolean json;

  @Option(
      names = "--from-beginning",
      description = "start at the beginning of the topic instead of its end")
  boolean fromBeginning;

  @Option(names = "--max", paramLabel = "N", description = "stop after N alerts (default: follow)")
  Long max;

  @Option(
      names = "--timeout",
      paramLabel = "D",
      converter = Converters.PositiveDuration.class,
      description = "stop after D without a new alert, e.g. 30s (default: follow)")
  Duration timeout;

  public AlertsCommand(PrintStream out) {
    this.out = out;
  }

  /**
   * What one run does, as parsed and checked.
   *
   * @param consumerProperties the Kafka consumer's settings, --kafka-config merged in
   * @param max how many alerts to show before stopping; {@link Long#MAX_VALUE} for no limit
   * @param timeout how long without a new alert ends the run, or null to follow until Ctrl-C
   */
  record Settings(
      String bootstrap,
      String topic,
      Map<String, Object> consumerProperties,
      Filter filter,
      boolean validate,
      boolean json,
      boolean fromBeginning,
      long max,
      Duration timeout) {
    Settings {
      consumerProperties = Map.copyOf(consumerProperties);
    }
  }

  /**
   * Which alerts to show: all when a set is empty.
   *
   * @param ruleIds rule ids ({@code finding_info.analytic.uid})
   * @param hosts hosts, matched against every host a finding involves
   */
  record Filter(Set<String> ruleIds, Set<String> hosts) {
    static final Filter ALL = new Filter(Set.of(), Set.of());

    Filter {
      ruleIds = Set.copyOf(ruleIds);
      hosts = Set.copyOf(hosts);
    }

    boolean matches(ReadFinding f) {
      return (ruleIds.isEmpty() || ruleIds.contains(f.ruleId()))
          && (hosts.isEmpty() || f.hosts().stream().anyMatch(hosts::contains));
    }

    boolean filters() {
      return !ruleIds.isEmpty() || !hosts.isEmpty();
    }
  }

  @Override
  public Integer call() {
    Settings settings = settings();
    PrintWriter lines = new PrintWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), true);
    // With --json, standard output is nothing but findings, for jq and friends.
    PrintWriter notes = settings.json() ? spec.commandLine().getErr() : lines;
    Feed feed =
        new Feed(
            settings.filter(),
            settings.validate() ? OcsfValidator.bundled() : null,
            settings.json(),
            lines,
            notes);
    try (KafkaConsumer<byte[], byte[]> consumer = connect(settings)) {
      List<TopicPartition> partitions = partitions(consumer, settings);
      consumer.assign(partitions);
      if (settings.fromBeginning()) {
        consumer.seekToBeginning(partitions);
      } else {
        consumer.seekToEnd(partitions);
      }
      try {
        // Resolves the lazy seek now: every alert committed after the line below is shown.
        partitions.forEach(p -> consumer.position(p, CONNECT_TIMEOUT));
      } catch (TimeoutException e) {
        throw unreachable(settings, e);
      }
      notes.printf(
          "psfleet alerts: following %s at %s (%d partitions) from its %s; %s%n",
          settings.topic(),
          settings.bootstrap(),
          partitions.size(),
          settings.fromBeginning() ? "beginning" : "end",
          until(settings));
      try (CtrlC ctrlC = CtrlC.install(consumer)) {
        String ending = follow(consumer, settings, feed, ctrlC);
        notes.println("psfleet alerts: " + feed.summary() + " (" + ending + ")");
        feed.flush();
        if (ctrlC.requested()) {
          return Commands.INTERRUPTED;
        }
      }
    }
    return settings.validate() && !feed.clean() ? Commands.FAILURE : Commands.OK;
  }

  /** Polls until --max, --timeout or Ctrl-C; returns which one ended the run. */
  private static String follow(
      KafkaConsumer<byte[], byte[]> consumer, Settings settings, Feed feed, CtrlC ctrlC) {
    long lastNews = System.nanoTime();
    while (!ctrlC.requested()) {
      Iterable<ConsumerRecord<byte[], byte[]>> records;
      try {
        records = consumer.poll(POLL);
      } catch (WakeupException e) {
        break;
      }
      for (ConsumerRecord<byte[], byte[]> record : records) {
        Feed.Shown shown =
            feed.accept(
                record.topic() + "-" + record.partition() + "@" + record.offset(), record.value());
        if (shown != Feed.Shown.NOTHING) {
          lastNews = System.nanoTime();
        }
        if (feed.counts().alerts() >= settings.max()) {
          return "--max " + settings.max() + " reached";
        }
      }
      if (settings.timeout() != null
          && System.nanoTime() - lastNews >= settings.timeout().toNanos()) {
        return "no new alert for " + Durations.format(settings.timeout());
      }
    }
    return "stopped by Ctrl-C";
  }

  /**
   * Ctrl-C while following: instead of dying mid-line, the poll is woken up, and the JVM's shutdown
   * waits (at most {@link #LONGEST_WAIT}) until the counts are printed and this is closed.
   */
  private static final class CtrlC implements AutoCloseable {
    static final Duration LONGEST_WAIT = Duration.ofSeconds(5);

    private final CountDownLatch closed = new CountDownLatch(1);
    private final AtomicBoolean requested = new AtomicBoolean();
    private final Thread hook;

    private CtrlC(KafkaConsumer<?, ?> consumer) {
      hook =
          new Thread(
              () -> {
                requested.set(true);
                consumer.wakeup();
                try {
                  closed.await(LONGEST_WAIT.toMillis(), TimeUnit.MILLISECONDS);
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                }
              },
              "psfleet-alerts-ctrl-c");
      Runtime.getRuntime().addShutdownHook(hook);
    }

    static CtrlC install(KafkaConsumer<?, ?> consumer) {
      return new CtrlC(consumer);
    }

    boolean requested() {
      return requested.get();
    }

    @Override
    public void close() {
      closed.countDown();
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException e) {
        // the JVM is shutting down: the hook is the one waiting for this close
      }
    }
  }

  private static String until(Settings s) {
    List<String> ends = new ArrayList<>();
    if (s.max() != Long.MAX_VALUE) {
      ends.add("after " + s.max() + (s.max() == 1 ? " alert" : " alerts"));
    }
    if (s.timeout() != null) {
      ends.add("after " + Durations.format(s.timeout()) + " without a new alert");
    }
    return ends.isEmpty() ? "Ctrl-C to stop" : "stops " + String.join(" or ", ends);
  }

  /** The options, checked. */
  Settings settings() {
    if (max != null && max < 1) {
      throw new UsageException("--max must be 1 or more, got " + max);
    }
    if (bootstrap.isBlank()) {
      throw new UsageException(
          "--bootstrap must name at least one HOST:PORT, got '" + bootstrap + "'");
    }
    Map<String, Object> props = new HashMap<>();
    KafkaClientConfig kafkaConfig = kafka.config();
    kafkaConfig.properties().forEach(props::put);
    for (Map.Entry<String, String> owned : OWNED.entrySet()) {
      String given = kafkaConfig.properties().get(owned.getKey());
      if (given != null && !given.trim().equalsIgnoreCase(owned.getValue())) {
        throw new UsageException(
            "--kafka-config "
                + kafkaConfig.source()
                + " sets "
                + owned.getKey()
                + "="
                + given
                + ", which psfleet alerts sets itself ("
                + owned.getValue()
                + ")");
      }
    }
    props.putAll(OWNED);
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap.trim());
    props.putIfAbsent(ConsumerConfig.CLIENT_ID_CONFIG, "psfleet-alerts");
    Set<String> ruleIds = rules.stream().map(Rule::id).collect(Collectors.toSet());
    return new Settings(
        bootstrap.trim(),
        topic,
        props,
        new Filter(ruleIds, Set.copyOf(hosts)),
        validate,
        json,
        fromBeginning,
        max == null ? Long.MAX_VALUE : max,
        timeout);
  }

  private static KafkaConsumer<byte[], byte[]> connect(Settings s) {
    try {
      return new KafkaConsumer<>(s.consumerProperties());
    } catch (KafkaException e) {
      String why = rootMessage(e);
      if (why.contains("No resolvable bootstrap urls")) {
        throw new UnreachableException(
            "no Kafka broker answers at " + s.bootstrap() + " (--bootstrap): " + why, e);
      }
      throw new UsageException(
          "the Kafka consumer does not accept these settings (--bootstrap "
              + s.bootstrap()
              + ", --kafka-config): "
              + why);
    }
  }

  private static List<TopicPartition> partitions(
      KafkaConsumer<byte[], byte[]> consumer, Settings s) {
    List<PartitionInfo> infos;
    try {
      infos = consumer.partitionsFor(s.topic(), CONNECT_TIMEOUT);
    } catch (TimeoutException e) {
      throw unreachable(s, e);
    } catch (AuthenticationException | AuthorizationException e) {
      throw new UnreachableException(
          "Kafka at "
              + s.bootstrap()
              + " (--bootstrap) refused the consumer: "
              + rootMessage(e)
              + " (check --kafka-config)",
          e);
    }
    if (infos == null || infos.isEmpty()) {
      throw new UnreachableException(
          "Kafka at "
              + s.bootstrap()
              + " has no topic "
              + s.topic()
              + " (--alerts-topic): the detection job creates it when it starts",
          null);
    }
    return infos.stream()
        .map(p -> new TopicPartition(p.topic(), p.partition()))
        .sorted((a, b) -> Integer.compare(a.partition(), b.partition()))
        .toList();
  }

  private static UnreachableException unreachable(Settings s, Exception e) {
    return new UnreachableException(
        "no Kafka broker answered at "
            + s.bootstrap()
            + " (--bootstrap) within "
            + Durations.format(CONNECT_TIMEOUT),
        e);
  }

  private static String rootMessage(Throwable t) {
    Throwable c = t;
    while (c.getCause() != null && c.getCause() != c) {
      c = c.getCause();
    }
    return c.getMessage() == null ? c.getClass().getSimpleName() : c.getMessage();
  }

  /**
   * What the command does with each record, apart from Kafka: read it, filter it, print it,
   * validate it, count it. Not thread-safe (the poll loop's thread only).
   */
  static final class Feed {
    /** What {@link #accept} printed. */
    enum Shown {
      ALERT,
      UNREADABLE,
      NOTHING
    }

    /**
     * @param alerts findings shown (matching the filter)
     * @param skipped findings the filter left out
     * @param unreadable records that are not a JSON object
     * @param valid shown findings that validate (with --validate)
     * @param invalid shown findings that do not validate (with --validate)
     */
    record Counts(long alerts, long skipped, long unreadable, long valid, long invalid) {}

    private static final ObjectMapper JSON =
        new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    private static final DateTimeFormatter TIME =
        DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'", Locale.ROOT)
            .withZone(ZoneOffset.UTC);
    private static final int LONGEST_REASON = 300;

    private final Filter filter;
    private final OcsfValidator validator;
    private final boolean json;
    private final PrintWriter lines;
    private final PrintWriter notes;
    private long alerts;
    private long skipped;
    private long unreadable;
    private long valid;
    private long invalid;

    /**
     * @param validator null when findings are not validated
     * @param lines where alerts go
     * @param notes where unreadable records go, and with --json validation errors (may be {@code
     *     lines})
     */
    Feed(
        Filter filter,
        OcsfValidator validator,
        boolean json,
        PrintWriter lines,
        PrintWriter notes) {
      this.filter = filter;
      this.validator = validator;
      this.json = json;
      this.lines = lines;
      this.notes = notes;
    }

    /**
     * One record of the topic.
     *
     * @param where the record's place, for messages ({@code topic-partition@offset})
     */
    Shown accept(String where, byte[] value) {
      JsonNode tree;
      try {
        tree = value == null || value.length == 0 ? null : JSON.readTree(value);
      } catch (JsonProcessingException e) {
        return unreadable(where, "not JSON: " + e.getOriginalMessage());
      } catch (IOException e) {
        return unreadable(where, "not JSON: " + e.getMessage());
      }
      if (tree == null || !tree.isObject()) {
        return unreadable(
            where,
            tree == null || tree.isMissingNode()
                ? "empty record"
                : "not a JSON object but " + tree.getNodeType().name().toLowerCase(Locale.ROOT));
      }
      ReadFinding finding = OcsfDetectionFinding.read(tree);
      if (!filter.matches(finding)) {
        skipped++;
        return Shown.NOTHING;
      }
      alerts++;
      if (json) {
        lines.println(oneLine(value, tree));
      } else {
        lines.println(line(tree, finding));
      }
      if (validator != null) {
        ValidationResult result = validator.validate(tree);
        if (result.isValid()) {
          valid++;
        } else {
          invalid++;
          PrintWriter w = json ? notes : lines;
          if (json) {
            w.println(
                "invalid OCSF "
                    + OcsfDetectionFinding.OCSF_VERSION
                    + ": finding "
                    + blankAsUnknown(finding.uid())
                    + " at "
                    + where
                    + ", "
                    + result.errors().size()
                    + (result.errors().size() == 1 ? " error:" : " errors:"));
          }
          for (Issue error : result.errors()) {
            w.println("  invalid OCSF: " + error);
          }
        }
      }
      return Shown.ALERT;
    }

    private Shown unreadable(String where, String reason) {
      unreadable++;
      String r = oneLine(reason);
      if (r.length() > LONGEST_REASON) {
        r = r.substring(0, LONGEST_REASON) + " ...";
      }
      notes.println("unreadable record " + where + " skipped: " + r);
      return Shown.UNREADABLE;
    }

    /** An alert as one line: time, rule, technique, host, finding uid, message. */
    static String line(JsonNode tree, ReadFinding f) {
      JsonNode time = tree.path("time");
      String when =
          time.canConvertToLong() && time.isIntegralNumber()
              ? TIME.format(Instant.ofEpochMilli(time.longValue()))
              : "?";
      return String.format(
          Locale.ROOT,
          "%-24s  %-11s  %-9s  %s  %s  %s",
          when,
          blankAsUnknown(f.ruleId()),
          blankAsUnknown(f.technique()),
          blankAsUnknown(f.hostId()),
          blankAsUnknown(f.uid()),
          oneLine(tree.path("message").asText("")));
    }

    /** The record as it came, unless it spans lines. */
    private static String oneLine(byte[] value, JsonNode tree) {
      String raw = new String(value, StandardCharsets.UTF_8).strip();
      if (raw.indexOf('\n') < 0 && raw.indexOf('\r') < 0) {
        return raw;
      }
      return tree.toString();
    }

    private static String oneLine(String text) {
      return text == null ? "" : text.replaceAll("\\s*\\R\\s*", " ").strip();
    }

    private static String blankAsUnknown(String s) {
      return s == null || s.isBlank() ? "?" : s;
    }

    Counts counts() {
      return new Counts(alerts, skipped, unreadable, valid, invalid);
    }

    /** No invalid finding, no unreadable record. */
    boolean clean() {
      return invalid == 0 && unreadable == 0;
    }

    void flush() {
      lines.flush();
      notes.flush();
    }

    /** The counts, for the last line. */
    String summary() {
      StringBuilder s = new StringBuilder();
      s.append(plural(alerts, "alert"));
      if (validator != null) {
        s.append(" (")
            .append(valid)
            .append(" valid, ")
            .append(invalid)
            .append(" invalid OCSF ")
            .append(OcsfDetectionFinding.OCSF_VERSION)
            .append(')');
      }
      s.append(", ").append(plural(unreadable, "unreadable record"));
      if (filter.filters()) {
        s.append(", ").append(skipped).append(" not matching ").append(filterOptions());
      }
      return s.toString();
    }

    private String filterOptions() {
      List<String> options = new ArrayList<>();
      if (!filter.ruleIds().isEmpty()) {
        options.add("--rule");
      }
      if (!filter.hosts().isEmpty()) {
        options.add("--host");
      }
      return String.join("/", options);
    }

    private static String plural(long n, String noun) {
      return n + " " + noun + (n == 1 ? "" : "s");
    }
  }

  /** A rule by its id ({@code psfleet-001}) or its name ({@code dll-injection}). */
  static final class RuleConverter implements ITypeConverter<Rule> {
    @Override
    public Rule convert(String value) {
      String v = value.trim();
      for (Rule rule : Rule.values()) {
        if (rule.id().equalsIgnoreCase(v)
            || ruleName(rule).equalsIgnoreCase(v)
            || rule.name().equalsIgnoreCase(v)) {
          return rule;
        }
      }
      throw new TypeConversionException(
          "expected a rule id ("
              + String.join(", ", new RuleIds())
              + ") or name ("
              + Arrays.stream(Rule.values())
                  .map(RuleConverter::ruleName)
                  .collect(Collectors.joining(", "))
              + "), got '"
              + value
              + "'");
    }

    /** The rule's name as the feed has it ({@code finding_info.analytic.name}). */
    static String ruleName(Rule rule) {
      return rule.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
  }

  /** Completion candidates for {@code --rule}. */
  static final class RuleIds implements Iterable<String> {
    @Override
    public Iterator<String> iterator() {
      Set<String> ids = new LinkedHashSet<>();
      for (Rule rule : Rule.values()) {
        ids.add(rule.id());
      }
      return ids.iterator();
    }
  }
}
