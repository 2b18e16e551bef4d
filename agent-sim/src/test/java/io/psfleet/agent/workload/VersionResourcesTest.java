package io.psfleet.agent.workload;

import static org.assertj.core.api.Assertions.assertThat;

import io.psfleet.agent.kernel.ImageCatalog;
import io.psfleet.agent.kernel.ImageFile;
import io.psfleet.agent.kernel.VersionResource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The catalog's version resources against real files: the values below are what Sysmon reported for
 * them on Windows 10/11 (SigmaHQ's regression data, events 1 and 7).
 */
class VersionResourcesTest {
  private static final String WINDOWS = "Microsoft\u00ae Windows\u00ae Operating System";
  private final WindowsImages images = new WindowsImages(new ImageCatalog());

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "C:\\Windows\\System32\\cmd.exe|Cmd.Exe|Windows Command Processor|WINDOWS|Microsoft Corporation",
        "C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe|PowerShell.EXE|Windows PowerShell|WINDOWS|Microsoft Corporation",
        "C:\\Windows\\System32\\rundll32.exe|RUNDLL32.EXE|Windows host process (Rundll32)|WINDOWS|Microsoft Corporation",
        "C:\\Windows\\System32\\certutil.exe|CertUtil.exe|CertUtil.exe|WINDOWS|Microsoft Corporation",
        "C:\\Windows\\System32\\reg.exe|reg.exe|Registry Console Tool|WINDOWS|Microsoft Corporation",
        "C:\\Windows\\System32\\bitsadmin.exe|bitsadmin.exe|BITS administration utility|WINDOWS|Microsoft Corporation",
        "C:\\Windows\\System32\\findstr.exe|FINDSTR.EXE|Find String (QGREP) Utility|WINDOWS|Microsoft Corporation",
        "C:\\Windows\\System32\\tasklist.exe|tasklist.exe|Lists the current running tasks|WINDOWS|Microsoft Corporation",
        "C:\\Windows\\System32\\schtasks.exe|schtasks.exe|Task Scheduler Configuration Tool|WINDOWS|Microsoft Corporation",
        "C:\\Windows\\System32\\wbem\\WMIC.exe|wmic.exe|WMI Commandline Utility|WINDOWS|Microsoft Corporation",
        "C:\\Windows\\explorer.exe|EXPLORER.EXE|Windows Explorer|WINDOWS|Microsoft Corporation",
        "C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe|chrome.exe|Google Chrome|Google Chrome|Google LLC",
        "C:\\Program Files (x86)\\Microsoft\\Edge\\Application\\msedge.exe|msedge.exe|Microsoft Edge|Microsoft Edge|Microsoft Corporation"
      })
  void resourceIsWhatTheRealFileCarries(
      String path, String original, String description, String product, String company) {
    VersionResource v = VersionResources.of(path, WindowsImages.MICROSOFT_WINDOWS);

    assertThat(v.originalFileName()).isEqualTo(original);
    assertThat(v.fileDescription()).isEqualTo(description);
    assertThat(v.productName()).isEqualTo(product.equals("WINDOWS") ? WINDOWS : product);
    assertThat(v.companyName()).isEqualTo(company);
  }

  @Test
  void everyWindowsFileOfTheCatalogHasAResourceWithAWinBuildVersion() {
    for (ImageFile file :
        new ImageFile[] {
          images.cmd,
          images.powershell,
          images.ntdll,
          images.kernel32,
          images.svchost,
          images.lsass,
          images.conhost,
          images.sensorDriver
        }) {
      VersionResource v = file.versionResource();
      assertThat(v).as(file.path()).isNotNull();
      assertThat(v.originalFileName()).isNotBlank();
    }
    assertThat(images.cmd.versionResource().fileVersion())
        .matches("10\\.0\\.19041\\.\\d+ \\(WinBuild\\.160101\\.0800\\)");
    for (ImageFile file : images.core.files()) {
      assertThat(file.versionResource()).as(file.path()).isNotNull();
    }
  }

  @Test
  void attackerFilesHaveNoResourceAndCopiesKeepTheirs() {
    ImageFile dropped = images.file("C:\\Users\\bob\\Downloads\\tool.exe", 100_000, null);
    ImageFile renamed = images.copyOf("C:\\Users\\Public\\svc.exe", images.lolbins.get(0));

    assertThat(dropped.versionResource()).isNull();
    assertThat(renamed.versionResource().originalFileName()).isEqualTo("RUNDLL32.EXE");
    assertThat(renamed.md5()).isEqualTo(images.lolbins.get(0).md5());
    assertThat(renamed.imphash()).isEqualTo(images.lolbins.get(0).imphash());
  }
}
