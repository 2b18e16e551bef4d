package io.psfleet.agent.kernel;

import java.util.Arrays;

/**
 * PspCidTable: one table hands out process and thread ids, multiples of 4 starting at 4 (0 is the
 * idle process). An id is freed only when its object is deleted; a freed entry goes to the tail of
 * the free list and the table hands out the head, the entry freed longest ago, and only once
 * {@value #REUSE_DELAY} entries wait there; until then it grows. So a freed id comes back, but not
 * at once, and on a busy host ids climb into the thousands, as on Windows.
 */
final class ClientIdTable {
  static final int MAX_ENTRIES = 1 << 22;

  /** Free entries the table keeps before it hands out the oldest of them again. */
  static final int REUSE_DELAY = 256;

  private volatile KernelObject[] entries = new KernelObject[64];
  private int highWater = 1; // entry 0 is id 0, never handed out
  private int[] free = new int[REUSE_DELAY * 2]; // a ring: head .. head + freeCount
  private int freeHead;
  private int freeCount;
  private int inUse;

  /** Returns the new id, or 0 when the table is full. */
  synchronized int allocate(java.util.function.IntFunction<? extends KernelObject> objectForId) {
    int index;
    if (freeCount > REUSE_DELAY || (freeCount > 0 && highWater >= MAX_ENTRIES)) {
      index = free[freeHead];
      freeHead = (freeHead + 1) % free.length;
      freeCount--;
    } else if (highWater < MAX_ENTRIES) {
      index = highWater++;
      if (index == entries.length) {
        entries = Arrays.copyOf(entries, entries.length * 2);
      }
    } else {
      return 0;
    }
    int id = index * 4;
    entries[index] = objectForId.apply(id);
    inUse++;
    return id;
  }

  KernelObject lookup(int id) {
    if (id <= 0 || (id & 3) != 0) {
      return null;
    }
    int index = id >>> 2;
    return index < highWater ? entries[index] : null;
  }

  /** Synchronised: the last dereference may run on any processor. */
  synchronized void release(int id) {
    int index = id >>> 2;
    if (entries[index] == null) {
      throw new IllegalStateException("client id " + id + " is not in use");
    }
    entries[index] = null;
    if (freeCount == free.length) {
      int[] grown = new int[free.length * 2];
      for (int i = 0; i < freeCount; i++) {
        grown[i] = free[(freeHead + i) % free.length];
      }
      free = grown;
      freeHead = 0;
    }
    free[(freeHead + freeCount) % free.length] = index;
    freeCount++;
    inUse--;
  }

  int inUse() {
    return inUse;
  }

  /** Visits every object in the table in id order. */
  void forEach(java.util.function.Consumer<KernelObject> action) {
    for (int i = 1; i < highWater; i++) {
      if (entries[i] != null) {
        action.accept(entries[i]);
      }
    }
  }
}
