package io.psfleet.agent.fleet;

import io.psfleet.schema.GroundTruth;
import java.util.Arrays;

/** One worker's output for one tick: encoded events and ground truth, in host order. */
final class TickBuffer {
  private String[] keys = new String[1024];
  private byte[][] values = new byte[1024][];
  private int size;
  private String[] truthKeys = new String[4];
  private GroundTruth[] truths = new GroundTruth[4];
  private int truthSize;

  void add(String key, byte[] value) {
    if (size == keys.length) {
      keys = Arrays.copyOf(keys, size * 2);
      values = Arrays.copyOf(values, size * 2);
    }
    keys[size] = key;
    values[size++] = value;
  }

  void addTruth(String key, GroundTruth truth) {
    if (truthSize == truths.length) {
      truthKeys = Arrays.copyOf(truthKeys, truthSize * 2);
      truths = Arrays.copyOf(truths, truthSize * 2);
    }
    truthKeys[truthSize] = key;
    truths[truthSize++] = truth;
  }

  int size() {
    return size;
  }

  String key(int i) {
    return keys[i];
  }

  byte[] value(int i) {
    return values[i];
  }

  int truthSize() {
    return truthSize;
  }

  String truthKey(int i) {
    return truthKeys[i];
  }

  GroundTruth truth(int i) {
    return truths[i];
  }

  /** Empties the buffer, dropping references so the encoded bytes can be collected. */
  void clear() {
    Arrays.fill(values, 0, size, null);
    Arrays.fill(keys, 0, size, null);
    Arrays.fill(truths, 0, truthSize, null);
    size = 0;
    truthSize = 0;
  }
}
