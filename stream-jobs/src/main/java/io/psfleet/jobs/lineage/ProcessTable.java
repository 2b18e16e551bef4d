package io.psfleet.jobs.lineage;

import io.psfleet.jobs.event.EventKind;
import io.psfleet.jobs.event.Telemetry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * One host's process table: applies that host's events in order and returns each enriched with its
 * ancestry. Keyed by process key, never by pid, so PID reuse cannot splice two processes' histories
 * together.
 *
 * <p>A parent that the table does not know (it started before the sensor, or its create event is
 * still to come) becomes a placeholder built from what the child's event says about it (pid, image,
 * command line); its own create event later completes it, and descendants' ancestry is rebuilt the
 * next time they are seen. Unknown processes that show up in other events get a placeholder too.
 *
 * <p>Cleanup: an exited process (or a placeholder) leaves the table once it has no children left in
 * the table and {@code grace} has passed since anything happened to it; its departure may let its
 * parent go in turn. The caller schedules the checks through {@link Cleanup} and makes them with
 * {@link #expireAll} (or {@link #expire} for one process). Time is the events' time; the table
 * never reads a clock.
 *
 * <p>Bound: a host's table holds at most {@code maxProcesses} nodes, whatever the host sends (a
 * flood of creates, forged placeholders). When a new node would pass it, the oldest tenth goes at
 * once: exited processes and placeholders first, by when they were last touched, then running ones;
 * {@link #evictions()} counts them. An evicted parent becomes a placeholder again for its
 * children's later events. Evicting a tenth at a time keeps the cost of the pass (a scan of the
 * host's table) at a few nodes per event even for a host that floods without end.
 */
public final class ProcessTable {
  /** Asks the caller to call {@link #expire} for {@code key} at or after {@code atNanos}. */
  @FunctionalInterface
  public interface Cleanup {
    void at(long atNanos, long key) throws Exception;
  }

  private final ProcessStore store;
  private final int maxDepth;
  private final long graceNanos;
  private final int maxProcesses;
  private long evictions;

  public ProcessTable(ProcessStore store, int maxDepth, Duration grace, int maxProcesses) {
    if (maxDepth < 1) {
      throw new IllegalArgumentException("ancestry depth must be at least 1, got " + maxDepth);
    }
    if (maxProcesses < 10) {
      throw new IllegalArgumentException(
          "--max-processes-per-host must be at least 10, got " + maxProcesses);
    }
    this.store = store;
    this.maxDepth = maxDepth;
    this.graceNanos = grace.toNanos();
    this.maxProcesses = maxProcesses;
  }

  /** Nodes evicted from full tables so far, over every host this table served. */
  public long evictions() {
    return evictions;
  }

  /** Applies one event of this host (in sequence order) and returns it enriched. */
  public EnrichedEvent apply(Telemetry e, Cleanup cleanup) throws Exception {
    return switch (e.kind()) {
      case PROCESS_CREATE -> create(e, cleanup);
      case PROCESS_EXIT -> exit(e, cleanup);
      case IMAGE_LOAD -> imageLoad(e, cleanup);
      case THREAD_CREATE, THREAD_EXIT, PROCESS_ACCESS -> inTarget(e, cleanup);
    };
  }

  /**
   * Removes {@code key} if it has exited (or is a placeholder), has no children in the table and
   * its grace has passed; then checks its parent the same way. Returns true if it was removed.
   */
  public boolean expire(long key, long nowNanos, Cleanup cleanup) throws Exception {
    ProcessNode node = store.get(key);
    if (node == null) {
      return false;
    }
    if (!(node.exited() || node.placeholder) || node.liveChildren > 0) {
      return false;
    }
    if (nowNanos < node.touchedNanos + graceNanos) {
      cleanup.at(node.touchedNanos + graceNanos, key);
      return false;
    }
    removeNode(node);
    if (node.parentKey != 0) {
      ProcessNode parent = store.get(node.parentKey);
      if (parent != null && parent.liveChildren == 0 && (parent.exited() || parent.placeholder)) {
        expire(parent.key, nowNanos, cleanup);
      }
    }
    return true;
  }

  /**
   * {@link #expire}s every node of the table that may leave at {@code nowNanos}, asking {@code
   * cleanup} again for those still in their grace. One pass over the table, so at most {@code
   * maxProcesses} checks however many exits and placeholders the host sent: the caller needs to
   * remember when to call it, never which processes to check.
   *
   * @return how many nodes left
   */
  public int expireAll(long nowNanos, Cleanup cleanup) throws Exception {
    List<Long> candidates = new ArrayList<>();
    for (ProcessNode node : store.nodes()) {
      if ((node.exited() || node.placeholder) && node.liveChildren == 0) {
        candidates.add(node.key);
      }
    }
    int removed = 0;
    for (long key : candidates) {
      if (expire(key, nowNanos, cleanup)) {
        removed++;
      }
    }
    return removed;
  }

  /** Takes {@code node} out of the table and out of its parent's count of children. */
  private void removeNode(ProcessNode node) throws Exception {
    store.remove(node.key);
    store.setSize(Math.max(0, store.size() - 1));
    if (node.parentKey != 0) {
      ProcessNode parent = store.get(node.parentKey);
      if (parent != null) {
        parent.liveChildren = Math.max(0, parent.liveChildren - 1);
        store.put(parent);
      }
    }
  }

  /** Counts a node that is new to the table, making room first when the table is full. */
  private void added() throws Exception {
    int size = store.size() + 1;
    store.setSize(size);
    if (size > maxProcesses) {
      evictOldest(Math.max(1, maxProcesses / 10));
    }
  }

  private void evictOldest(int count) throws Exception {
    List<ProcessNode> all = new ArrayList<>(maxProcesses + 1);
    for (ProcessNode node : store.nodes()) {
      all.add(node);
    }
    all.sort(
        Comparator.comparing((ProcessNode n) -> !(n.exited() || n.placeholder))
            .thenComparingLong(n -> n.touchedNanos));
    for (ProcessNode node : all.subList(0, Math.min(count, all.size()))) {
      removeNode(node);
      evictions++;
    }
  }

  // ---------------------------------------------------------------- per kind

  private EnrichedEvent create(Telemetry e, Cleanup cleanup) throws Exception {
    if (e.creationStatus() != 0) {
      // Blocked: it never ran, so it joins no table; its would-be ancestry still tells the story.
      return new EnrichedEvent(e, wouldBeAncestry(e), EnrichedEvent.NONE);
    }
    ProcessNode node = store.get(e.processKey());
    boolean completing = node != null && node.placeholder;
    if (node != null && !completing) {
      return new EnrichedEvent(e, ancestryOf(node), EnrichedEvent.NONE); // a replayed create
    }
    if (node == null) {
      added();
      node = new ProcessNode();
      node.key = e.processKey();
    } else {
      store.setCompletions(store.completions() + 1);
    }
    node.processId = e.processId();
    node.image = e.image();
    node.commandLine = e.commandLine();
    node.user = e.user();
    node.creatorKey = e.creatorKey();
    node.startNanos = e.timeNanos();
    node.touchedNanos = e.timeNanos();
    node.placeholder = false;
    node.parentKey = e.parentKey();
    ProcessNode parent = null;
    if (e.parentKey() != 0) {
      parent = store.get(e.parentKey());
      if (parent == null) {
        parent =
            placeholder(
                e.parentKey(),
                e.parentProcessId(),
                e.parentImage(),
                e.parentCommandLine(),
                e.timeNanos(),
                cleanup);
      }
      parent.liveChildren++;
      parent.touchedNanos = Math.max(parent.touchedNanos, e.timeNanos());
      store.put(parent);
    }
    node.ancestry =
        parent == null ? EnrichedEvent.NONE : prepend(parent.asAncestor(), ancestryOf(parent));
    node.ancestryStamp = store.completions();
    store.put(node);
    return new EnrichedEvent(e, node.ancestry, EnrichedEvent.NONE);
  }

  private EnrichedEvent exit(Telemetry e, Cleanup cleanup) throws Exception {
    ProcessNode node = known(e.processKey(), e, cleanup);
    node.exitNanos = e.timeNanos();
    node.touchedNanos = e.timeNanos();
    store.put(node);
    cleanup.at(e.timeNanos() + graceNanos, node.key);
    return new EnrichedEvent(e, ancestryOf(node), EnrichedEvent.NONE);
  }

  private EnrichedEvent imageLoad(Telemetry e, Cleanup cleanup) throws Exception {
    if (e.processKey() == 0) {
      return new EnrichedEvent(e, EnrichedEvent.NONE, EnrichedEvent.NONE); // a driver
    }
    // Nothing of a load stays in the table (its rules read the event), so a load writes no state.
    ProcessNode node = known(e.processKey(), e, cleanup);
    return new EnrichedEvent(e, ancestryOf(node), EnrichedEvent.NONE);
  }

  /**
   * A thread event, or a process access, in its target process; a remote thread's creator and a
   * process access's opener come with their own ancestry.
   */
  private EnrichedEvent inTarget(Telemetry e, Cleanup cleanup) throws Exception {
    ProcessNode node = known(e.processKey(), e, cleanup);
    Ancestor[] source = EnrichedEvent.NONE;
    boolean fromAnother =
        (e.kind() == EventKind.THREAD_CREATE && e.remoteThread())
            || e.kind() == EventKind.PROCESS_ACCESS;
    if (fromAnother && e.sourceKey() != 0) {
      ProcessNode creator = store.get(e.sourceKey());
      if (creator != null) {
        source = prepend(creator.asAncestor(), ancestryOf(creator));
      }
    }
    return new EnrichedEvent(e, ancestryOf(node), source);
  }

  // ---------------------------------------------------------------- helpers

  /** The node of a process, or a new placeholder when the table has never heard of it. */
  private ProcessNode known(long key, Telemetry e, Cleanup cleanup) throws Exception {
    ProcessNode node = store.get(key);
    if (node == null) {
      node = placeholder(key, e.processId(), e.image(), null, e.timeNanos(), cleanup);
    }
    return node;
  }

  private ProcessNode placeholder(
      long key, int pid, String image, String commandLine, long now, Cleanup cleanup)
      throws Exception {
    added();
    ProcessNode node = new ProcessNode();
    node.key = key;
    node.processId = pid;
    node.image = image;
    node.commandLine = commandLine;
    node.placeholder = true;
    node.touchedNanos = now;
    node.ancestry = EnrichedEvent.NONE;
    node.ancestryStamp = store.completions();
    store.put(node);
    cleanup.at(now + graceNanos, key);
    return node;
  }

  /**
   * The node's ancestry, rebuilt when a placeholder in it may have been completed since, or when
   * the node comes without it (restored from a checkpoint, see {@link ProcessNode#ancestry}).
   */
  private Ancestor[] ancestryOf(ProcessNode node) throws Exception {
    Ancestor[] cached = node.ancestry;
    long completions = store.completions();
    if (cached != null && node.ancestryStamp == completions) {
      return cached;
    }
    if (cached != null && !hasPlaceholder(cached)) {
      // Nothing in it to complete: stamped, so that the next event of the process needs no scan.
      node.ancestryStamp = completions;
      return cached;
    }
    List<Ancestor> chain = new ArrayList<>(maxDepth);
    ProcessNode current = node.parentKey == 0 ? null : store.get(node.parentKey);
    while (current != null && chain.size() < maxDepth) {
      chain.add(current.asAncestor());
      current = current.parentKey == 0 ? null : store.get(current.parentKey);
    }
    // A cache, not state (no checkpoint keeps it): nothing to write back.
    node.ancestry = chain.toArray(Ancestor[]::new);
    node.ancestryStamp = completions;
    return node.ancestry;
  }

  private Ancestor[] wouldBeAncestry(Telemetry e) throws Exception {
    if (e.parentKey() == 0) {
      return EnrichedEvent.NONE;
    }
    ProcessNode parent = store.get(e.parentKey());
    if (parent == null) {
      return new Ancestor[] {
        new Ancestor(
            e.parentKey(), e.parentProcessId(), e.parentImage(), e.parentCommandLine(), true)
      };
    }
    return prepend(parent.asAncestor(), ancestryOf(parent));
  }

  private Ancestor[] prepend(Ancestor first, Ancestor[] rest) {
    int n = Math.min(maxDepth, rest.length + 1);
    Ancestor[] chain = new Ancestor[n];
    chain[0] = first;
    System.arraycopy(rest, 0, chain, 1, n - 1);
    return chain;
  }

  private static boolean hasPlaceholder(Ancestor[] chain) {
    for (Ancestor ancestor : chain) {
      if (ancestor.placeholder()) {
        return true;
      }
    }
    return false;
  }
}
