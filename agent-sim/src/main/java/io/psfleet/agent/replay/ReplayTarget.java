package io.psfleet.agent.replay;

import io.psfleet.agent.kernel.EProcess;
import io.psfleet.agent.kernel.EThread;
import io.psfleet.agent.kernel.Kernel;
import io.psfleet.agent.kernel.ProcessToken;
import io.psfleet.agent.replay.RecordedEvent.RecordedAccount;

/** The host a recording plays on, as the player needs it. */
interface ReplayTarget {
  Kernel kernel();

  /** The token a recorded account gets on this host. */
  ProcessToken token(RecordedAccount account);

  /** The parent of the recording's root processes (and of stand-ins) when none is recorded. */
  EProcess adoptiveParent();

  /**
   * A thread that may start a process at any integrity for another parent: UAC's Appinfo on a
   * simulated host, as Windows elevates; a recorded High process whose parent ran at Medium was
   * started that way.
   */
  EThread broker();
}
