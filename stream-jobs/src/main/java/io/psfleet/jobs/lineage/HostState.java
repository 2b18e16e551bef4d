package io.psfleet.jobs.lineage;

/**
 * What lineage keeps per host beside the nodes of its process table, in one state value so an event
 * reads and writes one entry for all of it (they were four, each a lookup of its own). A Flink
 * POJO, kept as keyed state.
 */
public class HostState {
  /** The host's sequence numbers per boot. */
  public SequenceTracker sequences = new SequenceTracker();

  /** How many placeholders of the table were completed ({@link ProcessStore#completions}). */
  public long completions;

  /** How many nodes the table holds ({@link ProcessStore#size}). */
  public int processCount;

  /** When the host is forgotten unless it sends something first (processing time, ms); 0: unset. */
  public long forgetAt;

  public HostState() {}
}
