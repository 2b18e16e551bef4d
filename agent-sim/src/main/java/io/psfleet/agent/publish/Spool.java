package io.psfleet.agent.publish;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;

/**
 * One host's records waiting for Kafka, oldest first, within a bound: memory up to {@code
 * memoryBytes}, then a file up to {@code diskBytes}, as an EDR agent's local queue. Memory always
 * holds the oldest part and the file the newer part: a record goes to memory only while the file is
 * empty, and room made in memory is refilled from the head of the file. When both are full, the
 * oldest records are dropped (and counted) until the new one fits: a sensor cut off for too long
 * loses its oldest telemetry, never its newest.
 *
 * <p>Each entry carries whether it is ground truth, so the forwarder sends it to the right topic.
 * Thread-safe: the sensor appends while the forwarder takes.
 */
final class Spool implements AutoCloseable {
  /** One record: its bytes and whether it is ground truth. */
  record Entry(byte[] value, boolean groundTruth) {
    /** Bytes an entry takes beyond its value: its length and its kind, as written to the file. */
    static final int OVERHEAD = 5;

    int size() {
      return value.length + OVERHEAD;
    }
  }

  private final long memoryBytes;
  private final long diskBytes;
  private final Path file;
  private final ArrayDeque<Entry> memory = new ArrayDeque<>();
  private long memoryUsed;
  private RandomAccessFile disk;
  private long diskHead;
  private long diskTail;
  private long diskRecords;
  private long dropped;
  private long spilled;

  Spool(long memoryBytes, long diskBytes, Path file) {
    this.memoryBytes = memoryBytes;
    this.diskBytes = diskBytes;
    this.file = file;
  }

  /** Appends a record; returns how many old records were dropped to make room. */
  synchronized int append(byte[] value, boolean groundTruth) {
    Entry entry = new Entry(value, groundTruth);
    int droppedNow = 0;
    while (!fits(entry) && !isEmpty()) {
      removeOldest();
      droppedNow++;
    }
    dropped += droppedNow;
    if (diskRecords == 0 && memoryUsed + entry.size() <= memoryBytes) {
      memory.addLast(entry);
      memoryUsed += entry.size();
    } else if (diskTail - diskHead + entry.size() <= diskBytes) {
      writeToDisk(entry);
      spilled++;
    } else {
      // Larger than the whole bound: it cannot be kept at all.
      dropped++;
      droppedNow++;
    }
    return droppedNow;
  }

  /** Removes and returns the oldest record, or null when the spool is empty. */
  synchronized Entry take() {
    Entry oldest;
    if (!memory.isEmpty()) {
      oldest = memory.peekFirst();
    } else if (diskRecords > 0) {
      oldest = readDisk(false);
    } else {
      return null;
    }
    removeOldest();
    return oldest;
  }

  /** Whether a record of {@code length} bytes fits without dropping one. */
  synchronized boolean fits(int length) {
    return hasRoom((long) length + Entry.OVERHEAD);
  }

  synchronized boolean isEmpty() {
    return memory.isEmpty() && diskRecords == 0;
  }

  /** Records waiting. */
  synchronized long size() {
    return memory.size() + diskRecords;
  }

  /** Records dropped because the spool was full. */
  synchronized long dropped() {
    return dropped;
  }

  /** Records that went to the file because memory was full. */
  synchronized long spilled() {
    return spilled;
  }

  @Override
  public synchronized void close() {
    try {
      if (disk != null) {
        disk.close();
        disk = null;
      }
      Files.deleteIfExists(file);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot remove spool file " + file, e);
    }
  }

  private boolean fits(Entry entry) {
    return hasRoom(entry.size());
  }

  private boolean hasRoom(long size) {
    if (diskRecords == 0 && memoryUsed + size <= memoryBytes) {
      return true;
    }
    return diskTail - diskHead + size <= diskBytes;
  }

  private void removeOldest() {
    if (!memory.isEmpty()) {
      memoryUsed -= memory.removeFirst().size();
    } else if (diskRecords > 0) {
      readDisk(true);
    }
    // Keep memory the oldest part: move what now fits there from the head of the file.
    while (diskRecords > 0) {
      Entry next = readDisk(false);
      if (memoryUsed + next.size() > memoryBytes) {
        break;
      }
      consumeDisk(next);
      memory.addLast(next);
      memoryUsed += next.size();
    }
  }

  private void writeToDisk(Entry entry) {
    try {
      if (disk == null) {
        Files.createDirectories(file.getParent());
        disk = new RandomAccessFile(file.toFile(), "rw");
      }
      disk.seek(diskTail);
      disk.writeInt(entry.value().length);
      disk.writeBoolean(entry.groundTruth());
      disk.write(entry.value());
      diskTail += entry.size();
      diskRecords++;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write spool file " + file, e);
    }
  }

  /** Reads the oldest record on disk; with {@code consume}, removes it too. */
  private Entry readDisk(boolean consume) {
    try {
      disk.seek(diskHead);
      int length = disk.readInt();
      boolean groundTruth = disk.readBoolean();
      byte[] value = new byte[length];
      disk.readFully(value);
      Entry entry = new Entry(value, groundTruth);
      if (consume) {
        consumeDisk(entry);
      }
      return entry;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read spool file " + file, e);
    }
  }

  /** Drops {@code head}, the oldest record on disk, already read. */
  private void consumeDisk(Entry head) {
    diskHead += head.size();
    diskRecords--;
    if (diskRecords == 0) {
      // Empty again: start the file over rather than let it grow.
      diskHead = 0;
      diskTail = 0;
      try {
        disk.setLength(0);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot truncate spool file " + file, e);
      }
    }
  }
}
