package io.psfleet.jobs.lineage;

/**
 * One process in a host's process table. Mutable (it is the state value of one map entry), written
 * to state by {@link ProcessNodeSerializer}. Still a Flink POJO (public no-argument constructor and
 * public fields): state of earlier releases, which Flink's POJO serializer wrote, is read as one.
 *
 * <p>{@code liveChildren} counts children that are still in the table: an exited process stays
 * while it has them, so its descendants keep their ancestry, and goes once they are gone and its
 * grace period has passed.
 */
public class ProcessNode {
  public long key;
  public int processId;
  public String image;
  public String commandLine;
  public String user;
  public long parentKey;
  public long creatorKey;
  public long startNanos;

  /** 0 while the process runs (or, for a placeholder, while nothing says it ended). */
  public long exitNanos;

  /** Known only from a child's event: the pipeline never saw this process start. */
  public boolean placeholder;

  public int liveChildren;

  /** When anything last happened to this node, for the grace period of exited nodes. */
  public long touchedNanos;

  /**
   * The ancestry as built at creation (parent first), refreshed when a placeholder in it completes.
   * A cache, not state: {@link ProcessNodeSerializer} leaves it out of checkpoints (each full
   * snapshot wrote every node's ancestors' images and command lines again, the largest part of a
   * checkpoint's bytes and time) and shares it with the copies the heap backend makes while a
   * snapshot runs (the table replaces the array, never changes it). Null in a restored node, which
   * {@link ProcessTable} rebuilds from the table on its next use: the same chain, since a process
   * stays in the table while it has children in it, unless the table's bound evicted an ancestor.
   */
  public transient Ancestor[] ancestry;

  /** The table's completion count when {@link #ancestry} was built. */
  public transient long ancestryStamp;

  public ProcessNode() {}

  Ancestor asAncestor() {
    return new Ancestor(key, processId, image, commandLine, placeholder);
  }

  boolean exited() {
    return exitNanos != 0;
  }
}
