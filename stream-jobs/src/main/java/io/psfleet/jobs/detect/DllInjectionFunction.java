package io.psfleet.jobs.detect;

import io.psfleet.jobs.alert.Alert;
import io.psfleet.jobs.event.EventKind;
import io.psfleet.jobs.event.Telemetry;
import io.psfleet.jobs.lineage.EnrichedEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Rule 1, DLL injection: a remote thread into a process, then a suspicious module load in that
 * process ({@link InjectionSequence} has the exact condition). Keyed by host id; per host, a
 * MapState from target process key to the remote threads still pending there.
 *
 * <p>Event time: a load matches a thread when its event time lies within {@link
 * DetectionConfig#injectionWindow()} after the thread's, judged on the events' own timestamps
 * ({@link Telemetry#timeNanos()}), so the result does not depend on when watermarks arrive. It
 * expects a host's events in their sequence order, as one Kafka partition and a keyBy on host keep
 * them: a load that overtakes its thread is not matched.
 *
 * <p>State: an entry is removed when its target exits, when its last thread is used by an alert,
 * and otherwise by an event-time timer at the end of each thread's window (record timestamps in
 * milliseconds, i.e. {@code timeNanos / 1_000_000}). At most {@link
 * DetectionConfig#injectionMaxPendingThreads()} threads are kept per target, and at most {@code
 * maxTargets} targets per host: past it the tenth whose latest thread is oldest goes at once
 * (counted, {@code pendingEvictions}), so a host flooding remote threads into ever new targets
 * cannot grow its state, nor the scan each window's timer makes over it.
 *
 * <p>Lateness: late events are processed, not dropped. A load still matches as long as its thread's
 * entry is there, that is until the watermark passes the end of the thread's window; a load later
 * than that is missed.
 */
public final class DllInjectionFunction extends KeyedProcessFunction<String, EnrichedEvent, Alert> {
  private static final long serialVersionUID = 1L;
  private static final long NANOS_PER_MILLI = 1_000_000L;

  public static final String UID = "detect-dll-injection";
  public static final String NAME = "Detect: DLL injection (remote thread, then load)";

  private final DetectionConfig config;
  private final int maxTargets;
  private transient MapState<Long, InjectionSequence> pending;
  private transient ValueState<Integer> targets;
  private transient Counter evictions;

  /**
   * @param maxTargets the most target processes with pending threads one host keeps (the job's
   *     bound on processes per host)
   */
  public DllInjectionFunction(DetectionConfig config, int maxTargets) {
    this.config = config;
    this.maxTargets = maxTargets;
  }

  /** The events this function uses; a filter with it before the keyBy saves the shuffle. */
  public static boolean isRelevant(EnrichedEvent e) {
    Telemetry t = e.event();
    return InjectionSequence.opensWindow(t)
        || (t.kind() == EventKind.IMAGE_LOAD && t.processKey() != 0)
        || t.kind() == EventKind.PROCESS_EXIT;
  }

  /** The key this function expects: the host. */
  public static String key(EnrichedEvent e) {
    return e.event().hostId();
  }

  @Override
  public void open(OpenContext openContext) {
    pending =
        getRuntimeContext()
            .getMapState(
                new MapStateDescriptor<>(
                    "pending-remote-threads",
                    Types.LONG,
                    TypeInformation.of(InjectionSequence.class)));
    targets =
        getRuntimeContext().getState(new ValueStateDescriptor<>("pending-targets", Types.INT));
    evictions = getRuntimeContext().getMetricGroup().counter("pendingEvictions");
  }

  @Override
  public void processElement(EnrichedEvent event, Context ctx, Collector<Alert> out)
      throws Exception {
    Telemetry t = event.event();
    if (InjectionSequence.opensWindow(t)) {
      InjectionSequence current = pending.get(t.processKey());
      if (current == null) {
        added();
      }
      InjectionSequence next =
          (current == null ? InjectionSequence.empty() : current).plus(event, config);
      pending.put(t.processKey(), next);
      ctx.timerService()
          .registerEventTimeTimer(
              Math.floorDiv(t.timeNanos() + config.injectionWindow().toNanos(), NANOS_PER_MILLI));
    } else if (t.kind() == EventKind.IMAGE_LOAD && t.processKey() != 0) {
      InjectionSequence current = pending.get(t.processKey());
      if (current == null) {
        return;
      }
      InjectionSequence.Match match = current.match(event, config);
      if (match != null) {
        out.collect(match.alert());
        if (match.remaining().isEmpty()) {
          remove(t.processKey());
        } else {
          pending.put(t.processKey(), match.remaining());
        }
      }
    } else if (t.kind() == EventKind.PROCESS_EXIT) {
      // Nothing loads into an exited process; its key is not reused.
      if (pending.contains(t.processKey())) {
        remove(t.processKey());
      }
    }
  }

  private int targetCount() throws Exception {
    Integer n = targets.value();
    return n == null ? 0 : n;
  }

  private void remove(long target) throws Exception {
    pending.remove(target);
    int left = targetCount() - 1;
    if (left > 0) {
      targets.update(left);
    } else {
      targets.clear(); // a host with nothing pending keeps no state at all
    }
  }

  /** Counts a new target, making room first when the host has too many. */
  private void added() throws Exception {
    int n = targetCount() + 1;
    targets.update(n);
    if (n <= maxTargets) {
      return;
    }
    List<Map.Entry<Long, Long>> byLatest = new ArrayList<>(n);
    for (Map.Entry<Long, InjectionSequence> entry : pending.entries()) {
      EnrichedEvent[] threads = entry.getValue().threads();
      byLatest.add(Map.entry(entry.getKey(), threads[threads.length - 1].event().timeNanos()));
    }
    byLatest.sort(Map.Entry.comparingByValue());
    for (Map.Entry<Long, Long> oldest :
        byLatest.subList(0, Math.min(byLatest.size(), Math.max(1, maxTargets / 10)))) {
      remove(oldest.getKey());
      evictions.inc();
    }
  }

  @Override
  public void onTimer(long timestamp, OnTimerContext ctx, Collector<Alert> out) throws Exception {
    // The watermark has passed `timestamp`: every later on-time event is at or after the next
    // millisecond.
    long now = (timestamp + 1) * NANOS_PER_MILLI;
    List<Long> emptied = new ArrayList<>();
    List<Map.Entry<Long, InjectionSequence>> shrunk = new ArrayList<>();
    for (Map.Entry<Long, InjectionSequence> entry : pending.entries()) {
      InjectionSequence left = entry.getValue().expire(now, config);
      if (left.isEmpty()) {
        emptied.add(entry.getKey());
      } else if (left != entry.getValue()) {
        shrunk.add(Map.entry(entry.getKey(), left));
      }
    }
    for (Long target : emptied) {
      remove(target);
    }
    for (Map.Entry<Long, InjectionSequence> entry : shrunk) {
      pending.put(entry.getKey(), entry.getValue());
    }
  }
}
