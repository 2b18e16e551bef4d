package io.psfleet.agent.kernel;

import java.util.ArrayList;
import java.util.HashMap;
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
            spec.versionResource());
    byPath.put(key, file);
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
