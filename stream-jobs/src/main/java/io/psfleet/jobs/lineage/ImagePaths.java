package io.psfleet.jobs.lineage;

import java.util.Locale;

/** Path helpers for alerts: names of Windows paths. */
public final class ImagePaths {
  private ImagePaths() {}

  /** The lowercase file name of a Windows path ({@code C:\\x\\Foo.EXE} gives {@code foo.exe}). */
  public static String fileName(String path) {
    if (path == null) {
      return "";
    }
    return path.substring(path.lastIndexOf('\\') + 1).toLowerCase(Locale.ROOT);
  }
}
