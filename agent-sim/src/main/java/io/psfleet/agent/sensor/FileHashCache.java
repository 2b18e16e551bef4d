package io.psfleet.agent.sensor;

import io.psfleet.agent.kernel.ImageFile;
import io.psfleet.schema.Sha256;
import java.util.concurrent.ConcurrentHashMap;

/**
 * SHA-256 per file, computed once and reused, as sensors cache hashes by file identity. A fleet
 * shares one cache because its hosts share their {@link ImageFile}s; the values are never mutated
 * after they are made, so events may share them.
 */
public final class FileHashCache {
  private final ConcurrentHashMap<ImageFile, Sha256> hashes = new ConcurrentHashMap<>();

  public Sha256 sha256(ImageFile file) {
    return hashes.computeIfAbsent(file, f -> new Sha256(f.sha256()));
  }
}
