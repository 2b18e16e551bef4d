package io.psfleet.agent.kernel;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * The image files a fleet can map, each registered once and shared by every host.
 *
 * <p>Registration order decides each file's ASLR slot, so a simulation that registers its files in
 * a fixed order gets the same image bases, and the same events, on every run.
 */
public final class ImageCatalog {
  private final Map<String, ImageFile> byPath = new HashMap<>();
  private final Map<String, ImageFile> recorded = new HashMap<>();
  private final List<ImageFile> files = new ArrayList<>();

  /**
   * Registers a file, or returns the one already registered under the same path (ignoring case, as
   * NTFS does) when its attributes agree.
   */
  public synchronized ImageFile register(ImageFileSpec spec) {
    String key = spec.path().toLowerCase(java.util.Locale.ROOT);
    ImageFile known = byPath.get(key);
    if (known != null) {
      return known;
    }
    ImageFile file = add(spec);
    byPath.put(key, file);
    return file;
  }

  /**
   * Registers a file a recording saw, or returns the one registered for the same path and content
   * (SHA-256) before. A recording's {@code cmd.exe} is another build than the simulated fleet's,
   * with its own hashes and version resource, so it gets a slot of its own instead of being folded
   * into the file of the same path; {@link #find} keeps answering with the fleet's own file.
   */
  public synchronized ImageFile registerRecorded(ImageFileSpec spec) {
    String key =
        spec.path().toLowerCase(java.util.Locale.ROOT)
            + "|"
            + HexFormat.of().formatHex(spec.sha256());
    ImageFile known = recorded.get(key);
    if (known != null) {
      return known;
    }
    ImageFile file = add(spec);
    recorded.put(key, file);
    return file;
  }

  private ImageFile add(ImageFileSpec spec) {
    ImageFile file =
        new ImageFile(
            files.size(),
            spec.path(),
            spec.size(),
            spec.signingLevel(),
            spec.signatureType(),
            spec.signer(),
            spec.sha256(),
            spec.systemModeImage(),
            spec.exports(),
            spec.versionResource(),
            spec.knownDigests());
    files.add(file);
    return file;
  }

  public synchronized ImageFile find(String path) {
    return byPath.get(path.toLowerCase(java.util.Locale.ROOT));
  }

  public synchronized int size() {
    return files.size();
  }
}
