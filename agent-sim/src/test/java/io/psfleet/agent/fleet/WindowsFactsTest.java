package io.psfleet.agent.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import io.psfleet.schema.ImageLoad;
import io.psfleet.schema.IntegrityLevel;
import io.psfleet.schema.ProcessCreate;
import io.psfleet.schema.ProcessExit;
import io.psfleet.schema.TelemetryEvent;
import io.psfleet.schema.ThreadCreate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A simulated workstation fleet against the Windows facts of ../shared/WINDOWS.md that Sysmon
 * trained rules rely on; each test names the fact it checks.
 */
class WindowsFactsTest {
  private static FleetRun run;

  @BeforeAll
  static void simulate() {
    run =
        FleetRun.run(
            FleetRun.config(4, Duration.ofHours(6), Map.of())
                .withProfiles(new ProfileMix(100, 0, 0))
                .withThreads(2));
  }

  @Test
  void newProcessNotifiesCreateThenInitialThreadThenExecutableThenNtdll() {
    // Process create runs before the initial thread runs; then that thread's create; then the
    // executable's and ntdll's loads from the new process's initial thread.
    int checked = 0;
    for (List<TelemetryEvent> host : run.byHost().values()) {
      Map<Long, List<Object>> firstEvents = new HashMap<>();
      for (TelemetryEvent e : host) {
        Object body = e.getBody();
        Long key =
            body instanceof ProcessCreate c
                ? (Long) c.getProcessGuid()
                : body instanceof ThreadCreate t
                    ? (Long) t.getTargetProcessGuid()
                    : body instanceof ImageLoad l ? l.getProcessGuid() : null;
        if (key == null) {
          continue;
        }
        if (body instanceof ProcessCreate) {
          firstEvents.put(key, new ArrayList<>());
        }
        List<Object> first = firstEvents.get(key);
        if (first != null && first.size() < 4) {
          first.add(body);
        }
      }
      for (List<Object> first : firstEvents.values()) {
        ProcessCreate create = (ProcessCreate) first.get(0);
        if (create.getCreationStatus() != 0 || first.size() < 4) {
          continue;
        }
        assertThat(first.get(1)).isInstanceOf(ThreadCreate.class);
        assertThat(((ThreadCreate) first.get(1)).getInitialThread()).isTrue();
        assertThat(((ImageLoad) first.get(2)).getImageLoaded()).isEqualTo(create.getImage());
        assertThat(((ImageLoad) first.get(3)).getImageLoaded()).endsWith("\\ntdll.dll");
        checked++;
      }
    }
    assertThat(checked).isGreaterThan(100);
  }

  @Test
  void imageSizeIsAWholeNumberOfPages() {
    // IMAGE_INFO.ImageSize is SizeOfImage, a multiple of the 4 KB section alignment.
    assertThat(loads()).allMatch(l -> l.getImageSize() > 0 && l.getImageSize() % 0x1000 == 0);
  }

  @Test
  void integrityRisesOnlyThroughABroker() {
    // A medium-integrity process never creates a high-integrity child itself: UAC's Appinfo (in
    // svchost.exe) creates it, with the requesting program reported as parent.
    Map<Long, ProcessCreate> byKey = new HashMap<>();
    creates().forEach(c -> byKey.put(c.getProcessGuid(), c));
    int elevated = 0;
    for (ProcessCreate c : creates()) {
      ProcessCreate creator = byKey.get(c.getCreatorProcessGuid());
      if (creator == null) {
        continue;
      }
      if (c.getIntegrityLevel().ordinal() > creator.getIntegrityLevel().ordinal()) {
        assertThat(creator.getIntegrityLevel()).isEqualTo(IntegrityLevel.SYSTEM);
      }
      if (c.getIntegrityLevel() == IntegrityLevel.HIGH
          && creator.getIntegrityLevel() == IntegrityLevel.SYSTEM) {
        assertThat(creator.getImage()).endsWithIgnoringCase("\\svchost.exe");
        elevated++;
      }
    }
    assertThat(elevated).as("UAC elevations happen").isPositive();
  }

  @Test
  void idsClimbIntoTheThousandsOnABusyHost() {
    // One handle table hands out pids and tids, multiples of 4, freed ids return later.
    for (List<TelemetryEvent> host : run.byHost().values()) {
      int max = 0;
      for (TelemetryEvent e : host) {
        if (e.getBody() instanceof ThreadCreate t) {
          max = Math.max(max, Math.max(t.getNewThreadId(), t.getTargetProcessId()));
        }
      }
      assertThat(max).isGreaterThan(1000);
    }
  }

  @Test
  void driversLoadSignedAtBootAndNowAndThenLater() {
    // Drivers (SystemModeImage, ProcessId 0) load at boot and sometimes later; they are signed.
    List<ImageLoad> drivers = loads().stream().filter(ImageLoad::getSystemModeImage).toList();

    assertThat(drivers).hasSizeGreaterThan(4 * 15);
    assertThat(drivers).allMatch(d -> d.getProcessId() == 0 && d.getSigned());
    assertThat(drivers).allMatch(d -> d.getProcessGuid() == null);
  }

  @Test
  void exitCodesAreMostlyZeroWithFailuresAndCtrlC() {
    Map<Integer, Integer> codes = new HashMap<>();
    for (TelemetryEvent e : run.events) {
      if (e.getBody() instanceof ProcessExit x) {
        codes.merge(x.getExitStatus(), 1, Integer::sum);
      }
    }
    int total = codes.values().stream().mapToInt(Integer::intValue).sum();

    assertThat(codes.getOrDefault(0, 0)).isGreaterThan(total * 8 / 10);
    assertThat(codes).containsKey(1);
    assertThat(codes).as("STATUS_CONTROL_C_EXIT after Ctrl+C").containsKey(0xC000013A);
  }

  @Test
  void serviceHostsRunDozensOfThreadsAndBrowsersMany() {
    Map<Long, Integer> threads = new HashMap<>();
    Map<Long, String> images = new HashMap<>();
    for (TelemetryEvent e : run.events) {
      if (e.getBody() instanceof ThreadCreate t) {
        threads.merge(t.getTargetProcessGuid(), 1, Integer::sum);
      } else if (e.getBody() instanceof ProcessCreate c) {
        images.put(c.getProcessGuid(), c.getImage().toLowerCase());
      }
    }
    List<Integer> svchost = new ArrayList<>();
    List<Integer> browsers = new ArrayList<>();
    threads.forEach(
        (key, count) -> {
          String image = images.getOrDefault(key, "");
          if (image.endsWith("\\svchost.exe")) {
            svchost.add(count);
          } else if (image.endsWith("\\chrome.exe") || image.endsWith("\\msedge.exe")) {
            browsers.add(count);
          }
        });

    assertThat(svchost).isNotEmpty().allMatch(n -> n >= 9);
    assertThat(browsers.stream().mapToInt(Integer::intValue).max().orElse(0)).isGreaterThan(20);
  }

  @Test
  void logonIdsAreTheWellKnownOnesForServicesAndOnePerLogonForUsers() {
    Set<Long> userLogons = new HashSet<>();
    for (ProcessCreate c : creates()) {
      String user = c.getUser();
      long logon = c.getLogonId();
      switch (user) {
        case "NT AUTHORITY\\SYSTEM" -> assertThat(logon).isEqualTo(0x3e7);
        case "NT AUTHORITY\\NETWORK SERVICE" -> assertThat(logon).isEqualTo(0x3e4);
        case "NT AUTHORITY\\LOCAL SERVICE" -> assertThat(logon).isEqualTo(0x3e5);
        default -> {
          assertThat(logon).isGreaterThan(0x3e7);
          userLogons.add(logon);
        }
      }
      // LogonGuid's Data4 is the logon id, little-endian.
      String data4 = c.getLogonGuid().substring(20, 37).replace("-", "");
      long fromGuid = Long.reverseBytes(Long.parseUnsignedLong(data4, 16));
      assertThat(fromGuid).isEqualTo(logon);
    }
    // Four hosts, each with a filtered (medium) and an elevated (high) logon session.
    assertThat(userLogons).hasSizeBetween(5, 8);
  }

  @Test
  void workingDirectoriesAreWhereWindowsPutsThem() {
    for (ProcessCreate c : creates()) {
      String parent = c.getParentImage() == null ? "" : c.getParentImage().toLowerCase();
      assertThat(c.getCurrentDirectory()).endsWith("\\");
      if (parent.endsWith("\\services.exe")) {
        assertThat(c.getCurrentDirectory()).isEqualToIgnoringCase("C:\\Windows\\system32\\");
      }
      if (parent.endsWith("\\explorer.exe") && c.getCreatorImage().endsWith("explorer.exe")) {
        String image = c.getImage();
        String appFolder = image.substring(0, image.lastIndexOf('\\') + 1);
        assertThat(c.getCurrentDirectory())
            .satisfiesAnyOf(
                d -> assertThat(d).matches("C:\\\\Users\\\\[a-z]+\\\\"),
                d -> assertThat(d).isEqualTo(appFolder));
      }
    }
  }

  @Test
  void versionResourcesAndAllFourHashesComeWithEveryWindowsFile() {
    for (ProcessCreate c : creates()) {
      if (c.getImage().startsWith("C:\\Windows\\")) {
        assertThat(c.getOriginalFileName()).as(c.getImage()).isNotNull();
        assertThat(c.getCompany()).isEqualTo("Microsoft Corporation");
      }
      assertThat(c.getMD5()).isNotNull();
      assertThat(c.getSHA1()).isNotNull();
      assertThat(c.getIMPHASH()).isNotNull();
      assertThat(c.getHashes()).isNotNull();
    }
    Map<String, String> md5ByPath = new HashMap<>();
    for (ImageLoad l : loads()) {
      String md5 = l.getMD5().toString();
      assertThat(md5ByPath.computeIfAbsent(l.getImageLoaded().toLowerCase(), p -> md5))
          .as("the same file has the same hashes on every host")
          .isEqualTo(md5);
    }
  }

  private static List<ProcessCreate> creates() {
    List<ProcessCreate> creates = new ArrayList<>();
    for (TelemetryEvent e : run.events) {
      if (e.getBody() instanceof ProcessCreate c) {
        creates.add(c);
      }
    }
    return creates;
  }

  private static List<ImageLoad> loads() {
    List<ImageLoad> loads = new ArrayList<>();
    for (TelemetryEvent e : run.events) {
      if (e.getBody() instanceof ImageLoad l) {
        loads.add(l);
      }
    }
    return loads;
  }
}
