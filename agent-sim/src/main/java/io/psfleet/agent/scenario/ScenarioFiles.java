package io.psfleet.agent.scenario;

import io.psfleet.agent.kernel.ImageFile;
import io.psfleet.agent.workload.UserNames;
import io.psfleet.agent.workload.WindowsImages;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The attackers' and look-alikes' files, registered once per fleet in a fixed order (so image bases
 * stay reproducible). Files in user profiles exist for every name of {@link UserNames#POOL}.
 */
public final class ScenarioFiles {
  private final Map<String, ImageFile[]> perUser = new HashMap<>();
  public final ImageFile sspDll;
  public final ImageFile tempSspDll;
  public final ImageFile macroPayloadDll;
  public final ImageFile sideloadHost;
  public final ImageFile sideloadDll;
  public final ImageFile campaignDll;
  public final ImageFile notepadPlusPlus;

  public ScenarioFiles(WindowsImages w) {
    for (String user : UserNames.POOL) {
      String home = "C:\\Users\\" + user + "\\";
      perUser.put(
          user,
          new ImageFile[] {
            w.file(home + "Downloads\\Invoice_2026-11.exe", 410_000, null),
            w.file(home + "AppData\\Local\\Temp\\msvcupd64.dll", 96_000, null),
            w.file(home + "Downloads\\setup_patch.exe", 820_000, null)
          });
    }
    sspDll = w.file("C:\\ProgramData\\Microsoft\\Crypto\\mscryptssp.dll", 120_000, null);
    tempSspDll = w.file("C:\\Windows\\Temp\\kerbhelper.dll", 88_000, null);
    macroPayloadDll = w.file("C:\\Users\\Public\\Libraries\\update.dll", 150_000, null);
    sideloadHost =
        w.file(
            "C:\\Users\\Public\\Documents\\OneDrive\\OneDriveStandaloneUpdater.exe",
            3_800_000,
            WindowsImages.MICROSOFT_CORPORATION);
    sideloadDll = w.file("C:\\Users\\Public\\Documents\\OneDrive\\version.dll", 64_000, null);
    campaignDll = w.file("C:\\ProgramData\\Microsoft\\DeviceSync\\dsync64.dll", 212_000, null);
    notepadPlusPlus = w.file("C:\\Program Files\\Notepad++\\notepad++.exe", 6_000_000, "Notepad++");
  }

  /** The dropper a user downloaded (unsigned). */
  public ImageFile injector(String user) {
    return files(user)[0];
  }

  /** The DLL the dropper writes to the user's %TEMP% (unsigned). */
  public ImageFile injectedDll(String user) {
    return files(user)[1];
  }

  /** Malware that spoofs its children's parent (unsigned). */
  public ImageFile spoofer(String user) {
    return files(user)[2];
  }

  private ImageFile[] files(String user) {
    ImageFile[] files = perUser.get(user);
    if (files == null) {
      throw new IllegalArgumentException(user + " is not in UserNames.POOL");
    }
    return files;
  }

  /** Every file, for tests that check the catalog. */
  public List<ImageFile> shared() {
    return List.of(
        sspDll,
        tempSspDll,
        macroPayloadDll,
        sideloadHost,
        sideloadDll,
        campaignDll,
        notepadPlusPlus);
  }
}
