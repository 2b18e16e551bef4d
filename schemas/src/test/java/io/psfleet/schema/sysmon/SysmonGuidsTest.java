package io.psfleet.schema.sysmon;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SysmonGuidsTest {

  @Test
  void logonGuidCarriesLogonTimeAndLogonIdAsSysmonDoes() {
    // From a real Sysmon event 1: LogonId 0x3b5cb2, LogonGuid 0197231E-B736-6923-B25C-3B0000000000
    // (evtx_dump drops the braces), logon at 0x6923B736 seconds.
    String guid = SysmonGuids.logonGuid(0x0197231E, 0x6923B736L, 0x3b5cb2L);

    assertThat(guid).isEqualTo("{0197231E-B736-6923-B25C-3B0000000000}");
  }

  @Test
  void systemLogonGuidEndsWithE703() {
    assertThat(SysmonGuids.logonGuid(0x0197231E, 0x69265D5EL, 0x3e7))
        .isEqualTo("{0197231E-5D5E-6926-E703-000000000000}");
  }

  @Test
  void processGuidIsABijectionOnKeysAndSharesTheMachinePart() {
    int machine = SysmonGuids.machinePart("host-000001");
    for (long key : new long[] {0x1234_5678_9ABC_DEF0L, -1L, 1L, Long.MIN_VALUE}) {
      String guid = SysmonGuids.processGuid(machine, key);

      assertThat(guid)
          .matches("\\{[0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{12}\\}");
      assertThat(guid).startsWith("{" + String.format("%08X", machine) + "-");
      assertThat(SysmonGuids.processKey(guid)).isEqualTo(key);
    }
  }
}
