package io.psfleet.jobs.detect;

import io.psfleet.jobs.alert.Alert;
import io.psfleet.jobs.lineage.EnrichedEvent;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Rules 2 to 5 ({@link HostRules}) over enriched events: sensitive-process modules, parent PID
 * spoofing, Office/browser lineage and search-order hijack.
 *
 * <p>Stateless and timer-free: each event is judged alone, so event time plays no part, order does
 * not matter and no lateness is too much (a late event alerts like a timely one). The ancestry the
 * lineage rule reads is whatever the lineage operator attached. Needs no keying; keep it after the
 * lineage operator, before any shuffle, to save a network hop.
 */
public final class HostRulesFunction extends ProcessFunction<EnrichedEvent, Alert> {
  private static final long serialVersionUID = 1L;

  public static final String UID = "detect-host-rules";
  public static final String NAME = "Detect: sensitive module, PPID spoofing, lineage, hijack";

  private final HostRules rules;

  public HostRulesFunction(DetectionConfig config) {
    this.rules = new HostRules(config);
  }

  @Override
  public void processElement(EnrichedEvent event, Context ctx, Collector<Alert> out) {
    rules.evaluate(event, out::collect);
  }
}
