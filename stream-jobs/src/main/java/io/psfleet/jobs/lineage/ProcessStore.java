package io.psfleet.jobs.lineage;

/**
 * Where a host's process table keeps its nodes: a map in tests, Flink MapState in the job. The
 * table calls {@link #put} after changing a node so a serializing state backend sees the change.
 */
public interface ProcessStore {
  ProcessNode get(long key) throws Exception;

  void put(ProcessNode node) throws Exception;

  void remove(long key) throws Exception;

  /** How many placeholders were completed so far on this host. */
  long completions() throws Exception;

  void setCompletions(long completions) throws Exception;

  /** How many nodes the table holds, as the table counts them. */
  int size() throws Exception;

  void setSize(int size) throws Exception;

  /** Every node, for the rare eviction pass over a full table. */
  Iterable<ProcessNode> nodes() throws Exception;
}
