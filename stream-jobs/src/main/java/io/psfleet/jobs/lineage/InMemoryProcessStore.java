package io.psfleet.jobs.lineage;

import java.util.HashMap;
import java.util.Map;

/**
 * A process table's store in a plain map: for tests and tools that run the table outside Flink (the
 * job keeps it in MapState).
 */
public final class InMemoryProcessStore implements ProcessStore {
  private final Map<Long, ProcessNode> nodes = new HashMap<>();
  private long completions;
  private int size;

  /** The nodes, by process key (live view). */
  public Map<Long, ProcessNode> byKey() {
    return nodes;
  }

  @Override
  public Iterable<ProcessNode> nodes() {
    return nodes.values();
  }

  @Override
  public int size() {
    return size;
  }

  @Override
  public void setSize(int value) {
    size = value;
  }

  @Override
  public ProcessNode get(long key) {
    return nodes.get(key);
  }

  @Override
  public void put(ProcessNode node) {
    nodes.put(node.key, node);
  }

  @Override
  public void remove(long key) {
    nodes.remove(key);
  }

  @Override
  public long completions() {
    return completions;
  }

  @Override
  public void setCompletions(long value) {
    completions = value;
  }
}
