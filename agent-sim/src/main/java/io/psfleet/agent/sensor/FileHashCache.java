package io.psfleet.agent.sensor;

import io.psfleet.agent.kernel.ImageFile;
import io.psfleet.schema.Md5;
import io.psfleet.schema.Sha1;
import io.psfleet.schema.Sha256;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The hashes of each file, computed once and reused, as sensors cache hashes by file identity. A
 * fleet shares one cache because its hosts share their {@link ImageFile}s; the values are never
 * mutated after they are made, so events may share them.
 */
public final class FileHashCache {
  private final ConcurrentHashMap<ImageFile, FileHashes> hashes = new ConcurrentHashMap<>();

  /** The four hashes of one file, as the schema's types. */
  public record FileHashes(Sha256 sha256, Md5 md5, Sha1 sha1, Md5 imphash) {}

  public FileHashes of(ImageFile file) {
    return hashes.computeIfAbsent(
        file,
        f ->
            new FileHashes(
                new Sha256(f.sha256()),
                new Md5(f.md5()),
                new Sha1(f.sha1()),
                new Md5(f.imphash())));
  }

  public Sha256 sha256(ImageFile file) {
    return of(file).sha256();
  }
}
