package io.psfleet.agent.replay;

import io.psfleet.agent.kernel.ProcessToken;
import java.util.Locale;

/** What a recorded account is on another host. */
final class RecordedAccounts {
  private RecordedAccounts() {}

  /**
   * True for SYSTEM, LOCAL SERVICE and NETWORK SERVICE, which every Windows host has under the same
   * names (Sysmon writes them localised: {@code AUTORITE NT\Système} on a French Windows), and
   * which keep their well-known logon sessions.
   */
  static boolean isServiceAccount(String user, long logonId) {
    if (logonId == ProcessToken.SYSTEM_LUID
        || logonId == ProcessToken.LOCAL_SERVICE_LUID
        || logonId == ProcessToken.NETWORK_SERVICE_LUID) {
      return true;
    }
    String u = user.toUpperCase(Locale.ROOT);
    return u.startsWith("NT AUTHORITY\\")
        || u.startsWith("AUTORITE NT\\")
        || u.startsWith("NT-AUTORITÄT\\");
  }
}
