package io.psfleet.agent.workload;

import io.psfleet.agent.kernel.ImageCatalog;
import io.psfleet.agent.kernel.ImageFile;
import io.psfleet.agent.kernel.ImageFileSpec;
import io.psfleet.agent.kernel.SeImageSignatureType;
import io.psfleet.agent.kernel.SeSigningLevel;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;

/**
 * The files of a Windows 10/11 installation that every simulated host shares, registered in a fixed
 * order so that image bases, and therefore events, are the same on every run.
 *
 * <p>Paths, signers and signature levels follow ../shared/WINDOWS.md: system binaries in System32
 * signed by Microsoft at level WINDOWS (12) from the catalog, drivers embedded-signed.
 */
public final class WindowsImages {
  public static final String SYSTEM32 = "C:\\Windows\\System32\\";
  public static final String MICROSOFT_WINDOWS = "Microsoft Windows";

  private final ImageCatalog catalog;

  public final ImageFile ntoskrnl;
  public final ImageFile ntdll;
  public final ImageFile kernel32;
  public final ImageFile kernelbase;
  public final ImageFile user32;
  public final ImageFile advapi32;
  public final ImageFile smss;
  public final ImageFile csrss;
  public final ImageFile wininit;
  public final ImageFile winlogon;
  public final ImageFile services;
  public final ImageFile lsass;
  public final ImageFile svchost;
  public final ImageFile userinit;
  public final ImageFile explorer;
  public final ImageFile cmd;
  public final ImageFile powershell;
  public final ImageFile notepad;

  public WindowsImages(ImageCatalog catalog) {
    this.catalog = catalog;
    ntoskrnl = driver("ntoskrnl.exe", 11_000_000);
    ntdll =
        system(
            "ntdll.dll",
            2_100_000,
            List.of(
                new ImageFile.Export("RtlUserThreadStart", 0x2c0a0),
                new ImageFile.Export("DbgUiRemoteBreakin", 0x1030f0)));
    kernel32 =
        system(
            "kernel32.dll",
            780_000,
            List.of(
                new ImageFile.Export("BaseThreadInitThunk", 0x17020),
                new ImageFile.Export("LoadLibraryA", 0x20390),
                new ImageFile.Export("LoadLibraryW", 0x203b0)));
    kernelbase =
        system(
            "KernelBase.dll",
            3_900_000,
            List.of(
                new ImageFile.Export("CtrlRoutine", 0x1197e0),
                new ImageFile.Export("LoadLibraryExW", 0x4e6c0)));
    user32 = system("user32.dll", 1_800_000, List.of());
    advapi32 = system("advapi32.dll", 700_000, List.of());
    smss = system("smss.exe", 160_000, List.of());
    csrss = system("csrss.exe", 40_000, List.of());
    wininit = system("wininit.exe", 460_000, List.of());
    winlogon = system("winlogon.exe", 900_000, List.of());
    services = system("services.exe", 720_000, List.of());
    lsass = system("lsass.exe", 60_000, List.of());
    svchost = system("svchost.exe", 60_000, List.of());
    userinit = system("userinit.exe", 30_000, List.of());
    explorer = file("C:\\Windows\\explorer.exe", 5_000_000, MICROSOFT_WINDOWS, false, List.of());
    cmd = system("cmd.exe", 330_000, List.of());
    powershell =
        file(
            SYSTEM32 + "WindowsPowerShell\\v1.0\\powershell.exe",
            450_000,
            MICROSOFT_WINDOWS,
            false,
            List.of());
    notepad = system("notepad.exe", 200_000, List.of());
  }

  public ImageCatalog catalog() {
    return catalog;
  }

  /**
   * Registers a file with a content hash derived from its path, signed by {@code signer} or
   * unsigned when it is null.
   */
  public ImageFile file(
      String path, long size, String signer, boolean driver, List<ImageFile.Export> exports) {
    SeSigningLevel level;
    SeImageSignatureType type;
    if (signer == null) {
      level = SeSigningLevel.UNSIGNED;
      type = SeImageSignatureType.NONE;
    } else if (signer.equals(MICROSOFT_WINDOWS)) {
      level = SeSigningLevel.WINDOWS;
      type = driver ? SeImageSignatureType.EMBEDDED : SeImageSignatureType.CATALOG_CACHED;
    } else {
      level = SeSigningLevel.AUTHENTICODE;
      type = SeImageSignatureType.EMBEDDED;
    }
    return catalog.register(
        new ImageFileSpec(path, size, level, type, signer, contentHash(path), driver, exports));
  }

  private ImageFile system(String name, long size, List<ImageFile.Export> exports) {
    return file(SYSTEM32 + name, size, MICROSOFT_WINDOWS, false, exports);
  }

  private ImageFile driver(String name, long size) {
    return file(SYSTEM32 + name, size, MICROSOFT_WINDOWS, true, List.of());
  }

  /** Stand-in for the file's content hash: the same path always has the same bytes. */
  static byte[] contentHash(String path) {
    try {
      return MessageDigest.getInstance("SHA-256")
          .digest(path.toLowerCase(java.util.Locale.ROOT).getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }
}
