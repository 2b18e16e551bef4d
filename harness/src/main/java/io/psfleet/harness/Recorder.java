package io.psfleet.harness;

import io.psfleet.harness.report.AlertRecord;
import io.psfleet.harness.report.GroundTruthJoin;
import io.psfleet.schema.GroundTruth;
import io.psfleet.schema.Topics;
import io.psfleet.schema.codec.DecodeException;
import io.psfleet.schema.codec.SingleObjectCodec;
import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What a run records while it runs: every alert (read committed) and every ground-truth record on
 * the cluster since the run began, and alerts counted by rule for progress lines. Records older
 * than {@code sinceMillis} belong to earlier runs on the same cluster and are ignored; a record
 * that cannot be read is reported on {@code problems} and skipped.
 */
public final class Recorder implements AutoCloseable {
  private final List<AlertRecord> alerts = Collections.synchronizedList(new ArrayList<>());
  private final List<GroundTruthJoin.Truth> truths =
      Collections.synchronizedList(new ArrayList<>());
  private final Map<String, AtomicLong> byRule = new ConcurrentHashMap<>();
  private final SingleObjectCodec<GroundTruth> truthCodec = SingleObjectCodec.groundTruth();
  private final TopicTail alertTail;
  private final TopicTail truthTail;

  public Recorder(String bootstrap, long sinceMillis, PrintStream problems) {
    this(bootstrap, Map.of(), sinceMillis, problems);
  }

  /** As {@link #Recorder(String, long, PrintStream)}, connecting with {@code clientSettings}. */
  public Recorder(
      String bootstrap,
      Map<String, Object> clientSettings,
      long sinceMillis,
      PrintStream problems) {
    alertTail =
        new TopicTail(
            bootstrap,
            clientSettings,
            Topics.ALERTS,
            record -> {
              if (record.timestamp() < sinceMillis) {
                return;
              }
              try {
                AlertRecord alert = AlertRecord.parse(record.value(), record.timestamp());
                alerts.add(alert);
                byRule
                    .computeIfAbsent(
                        alert.ruleId() + " " + alert.technique(), r -> new AtomicLong())
                    .incrementAndGet();
              } catch (IOException e) {
                problems.println("unreadable alert: " + e.getMessage());
              }
            });
    truthTail =
        new TopicTail(
            bootstrap,
            clientSettings,
            Topics.GROUND_TRUTH,
            record -> {
              if (record.timestamp() < sinceMillis) {
                return;
              }
              try {
                GroundTruth truth;
                synchronized (truthCodec) {
                  truth = truthCodec.decode(record.value());
                }
                truths.add(new GroundTruthJoin.Truth(truth, record.timestamp()));
              } catch (DecodeException e) {
                problems.println("unreadable ground truth: " + e.getMessage());
              }
            });
  }

  /** The alerts so far, in arrival order. */
  public List<AlertRecord> alerts() {
    return List.copyOf(alerts);
  }

  /** The ground truth so far, in arrival order. */
  public List<GroundTruthJoin.Truth> truths() {
    return List.copyOf(truths);
  }

  /** Alerts so far by "rule technique", sorted. */
  public Map<String, Long> alertsByRule() {
    Map<String, Long> counts = new TreeMap<>();
    byRule.forEach((rule, n) -> counts.put(rule, n.get()));
    return counts;
  }

  /** The alerts so far joined with the ground truth so far. */
  public GroundTruthJoin.Result join() {
    return GroundTruthJoin.join(truths(), alerts());
  }

  @Override
  public void close() throws InterruptedException {
    try {
      alertTail.close();
    } finally {
      truthTail.close();
    }
  }
}
