package io.psfleet.agent.workload;

import java.util.Arrays;

/**
 * A host's pending work in simulated time: a binary min-heap on (time, insertion order), so tasks
 * due at the same instant run in the order they were scheduled and a run is reproducible.
 */
final class Agenda {
  private long[] times = new long[16];
  private long[] order = new long[16];
  private Runnable[] tasks = new Runnable[16];
  private int size;
  private long inserted;

  void schedule(long at, Runnable task) {
    if (size == tasks.length) {
      times = Arrays.copyOf(times, size * 2);
      order = Arrays.copyOf(order, size * 2);
      tasks = Arrays.copyOf(tasks, size * 2);
    }
    int i = size++;
    long seq = inserted++;
    while (i > 0) {
      int parent = (i - 1) >>> 1;
      if (!before(at, seq, times[parent], order[parent])) {
        break;
      }
      move(parent, i);
      i = parent;
    }
    times[i] = at;
    order[i] = seq;
    tasks[i] = task;
  }

  boolean hasTaskAtOrBefore(long time) {
    return size > 0 && times[0] <= time;
  }

  long nextTime() {
    return times[0];
  }

  Runnable pollFirst() {
    Runnable first = tasks[0];
    size--;
    long at = times[size];
    long seq = order[size];
    Runnable last = tasks[size];
    tasks[size] = null;
    int i = 0;
    while (true) {
      int child = 2 * i + 1;
      if (child >= size) {
        break;
      }
      if (child + 1 < size
          && before(times[child + 1], order[child + 1], times[child], order[child])) {
        child++;
      }
      if (!before(times[child], order[child], at, seq)) {
        break;
      }
      move(child, i);
      i = child;
    }
    if (size > 0) {
      times[i] = at;
      order[i] = seq;
      tasks[i] = last;
    }
    return first;
  }

  int size() {
    return size;
  }

  private void move(int from, int to) {
    times[to] = times[from];
    order[to] = order[from];
    tasks[to] = tasks[from];
  }

  private static boolean before(long t1, long s1, long t2, long s2) {
    return t1 < t2 || (t1 == t2 && s1 < s2);
  }
}
