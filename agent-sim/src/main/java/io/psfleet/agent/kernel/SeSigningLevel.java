package io.psfleet.agent.kernel;

/** SE_SIGNING_LEVEL: the code-integrity verdict for an image; the ordinal is the kernel value. */
public enum SeSigningLevel {
  UNCHECKED,
  UNSIGNED,
  ENTERPRISE,
  CUSTOM_1,
  AUTHENTICODE,
  CUSTOM_2,
  STORE,
  ANTIMALWARE,
  MICROSOFT,
  CUSTOM_4,
  CUSTOM_5,
  DYNAMIC_CODEGEN,
  WINDOWS,
  CUSTOM_7,
  WINDOWS_TCB,
  CUSTOM_6
}
