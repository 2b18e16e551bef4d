package io.psfleet.agent.replay;

/** Where a recording's root processes (those whose parent it did not record) hang on a host. */
public enum RootParent {
  /**
   * Under the host's own process: the logged-on user's explorer.exe on a simulated host. Their
   * ParentImage is then explorer's, as if the user had started them.
   */
  ADOPT,
  /**
   * Under a stand-in for the recorded parent (its image, command line and user), itself started by
   * the host's explorer.exe: the roots' ParentImage and ParentCommandLine are the recorded ones,
   * which rules about lineage need. The stand-in's own create is part of the transplant.
   */
  RECORDED
}
