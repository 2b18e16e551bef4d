package io.psfleet.agent.replay;

import io.psfleet.agent.kernel.EProcess;
import io.psfleet.agent.kernel.EThread;
import io.psfleet.agent.kernel.Kernel;
import io.psfleet.agent.kernel.ProcessToken;
import io.psfleet.agent.replay.RecordedEvent.RecordedAccount;
import io.psfleet.agent.workload.Account;
import io.psfleet.agent.workload.HostWorkload;

/**
 * A simulated host of the fleet as a replay target. The recording's interactive user becomes the
 * host's logged-on user (a medium process runs in the user's logon session, a high one in the
 * elevated session UAC made for it), so a transplant looks like the host's user ran the attack;
 * SYSTEM and the service accounts stay what they are, on every host.
 */
final class HostTarget implements ReplayTarget {
  private final HostWorkload workload;

  HostTarget(HostWorkload workload) {
    this.workload = workload;
  }

  @Override
  public Kernel kernel() {
    return workload.kernel();
  }

  @Override
  public ProcessToken token(RecordedAccount account) {
    if (RecordedAccounts.isServiceAccount(account.user(), account.logonId())) {
      long logonId = ProcessToken.wellKnownLogonId(account.user());
      return new ProcessToken(
          account.user(), account.integrity(), 0, logonId != 0 ? logonId : account.logonId(), 0);
    }
    boolean elevated = account.integrity().compareTo(ProcessToken.IntegrityLevel.HIGH) >= 0;
    ProcessToken base = workload.token(elevated ? Account.ADMIN : Account.USER);
    return base.integrityLevel() == account.integrity()
        ? base
        : base.withIntegrity(account.integrity(), base.logonId());
  }

  @Override
  public EProcess adoptiveParent() {
    return workload.explorer();
  }

  @Override
  public EThread broker() {
    return workload.mainThread(workload.appinfoService());
  }
}
