package io.psfleet.jobs.lineage;

import java.util.Locale;

/** Path helpers the detectors share; Windows paths are compared without regard to case. */
public final class ImagePaths {
  private ImagePaths() {}

  /** The lowercase file name of a Windows path ({@code C:\\x\\Foo.EXE} gives {@code foo.exe}). */
  public static String fileName(String path) {
    if (path == null) {
      return "";
    }
    return path.substring(path.lastIndexOf('\\') + 1).toLowerCase(Locale.ROOT);
  }

  /** The lowercase folder of a Windows path, with a trailing backslash. */
  public static String folder(String path) {
    if (path == null) {
      return "";
    }
    return path.substring(0, path.lastIndexOf('\\') + 1).toLowerCase(Locale.ROOT);
  }

  /**
   * Folders an ordinary user can write to, where attackers drop files (../shared/WINDOWS.md):
   * profiles (Temp, Downloads, Desktop, AppData), C:\Users\Public, C:\ProgramData, C:\PerfLogs,
   * C:\Windows\Temp, and network paths.
   */
  public static boolean isUserWritable(String path) {
    String p = path == null ? "" : path.toLowerCase(Locale.ROOT);
    return p.startsWith("c:\\users\\")
        || p.startsWith("c:\\programdata\\")
        || p.startsWith("c:\\perflogs\\")
        || p.startsWith("c:\\windows\\temp\\")
        || p.startsWith("\\\\");
  }

  /** System32, SysWOW64 and WinSxS: where Windows's own DLLs live. */
  public static boolean isSystemDirectory(String path) {
    String p = path == null ? "" : path.toLowerCase(Locale.ROOT);
    return p.startsWith("c:\\windows\\system32\\")
        || p.startsWith("c:\\windows\\syswow64\\")
        || p.startsWith("c:\\windows\\winsxs\\");
  }

  /** Program Files (both): only administrators install there. */
  public static boolean isProgramFiles(String path) {
    String p = path == null ? "" : path.toLowerCase(Locale.ROOT);
    return p.startsWith("c:\\program files\\") || p.startsWith("c:\\program files (x86)\\");
  }
}
