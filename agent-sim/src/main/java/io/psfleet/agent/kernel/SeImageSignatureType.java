package io.psfleet.agent.kernel;

/**
 * SE_IMAGE_SIGNATURE_TYPE: where an image's signature was found; the ordinal is the kernel value.
 */
public enum SeImageSignatureType {
  NONE,
  EMBEDDED,
  CACHE,
  CATALOG_CACHED,
  CATALOG_NOT_CACHED,
  CATALOG_HINT,
  PACKAGE_CATALOG,
  PPL_MITIGATED
}
