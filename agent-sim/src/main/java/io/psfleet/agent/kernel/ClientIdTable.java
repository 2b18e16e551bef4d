package io.psfleet.agent.kernel;

import java.util.Arrays;

/**
 * PspCidTable: one table hands out process and thread ids, multiples of 4 starting at 4 (0 is the
 * idle process). A freed id goes on a free list and is handed out again first, so ids are reused
 * quickly, as on Windows; it is freed only when its object is deleted.
 */
final class ClientIdTable {
  static final int MAX_ENTRIES = 1 << 22;

  private KernelObject[] entries = new KernelObject[64];
  private int highWater = 1; // entry 0 is id 0, never handed out
  private int[] free = new int[16];
  private int freeCount;
  private int inUse;

  /** Returns the new id, or 0 when the table is full. */
  int allocate(java.util.function.IntFunction<? extends KernelObject> objectForId) {
    int index;
    if (freeCount > 0) {
      index = free[--freeCount];
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

  void release(int id) {
    int index = id >>> 2;
    if (entries[index] == null) {
      throw new IllegalStateException("client id " + id + " is not in use");
    }
    entries[index] = null;
    if (freeCount == free.length) {
      free = Arrays.copyOf(free, freeCount * 2);
    }
    free[freeCount++] = index;
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
