package io.psfleet.agent.kernel;

import java.util.List;

/**
 * What a file on disk is, before the catalog gives it a slot.
 *
 * @param size the image's size; the catalog rounds it up to whole pages (SizeOfImage)
 * @param versionResource the file's version resource, or null when it has none
 * @param knownDigests the MD5, SHA-1 and import hash a recording measured on the real file, or null
 *     to derive them from the SHA-256 as for simulated files
 */
public record ImageFileSpec(
    String path,
    long size,
    SeSigningLevel signingLevel,
    SeImageSignatureType signatureType,
    String signer,
    byte[] sha256,
    boolean systemModeImage,
    List<ImageFile.Export> exports,
    VersionResource versionResource,
    Digests knownDigests) {

  public ImageFileSpec {
    exports = List.copyOf(exports);
  }

  /**
   * Hashes of a real file, each null where the recording did not carry it: a Sysmon configuration
   * names its own {@code HashAlgorithms}, so a recording may hold MD5 and IMPHASH but no SHA-1.
   */
  public record Digests(byte[] md5, byte[] sha1, byte[] imphash) {}

  /** A simulated file: its other hashes follow from its SHA-256. */
  public ImageFileSpec(
      String path,
      long size,
      SeSigningLevel signingLevel,
      SeImageSignatureType signatureType,
      String signer,
      byte[] sha256,
      boolean systemModeImage,
      List<ImageFile.Export> exports,
      VersionResource versionResource) {
    this(
        path,
        size,
        signingLevel,
        signatureType,
        signer,
        sha256,
        systemModeImage,
        exports,
        versionResource,
        null);
  }

  /** A file without a version resource. */
  public ImageFileSpec(
      String path,
      long size,
      SeSigningLevel signingLevel,
      SeImageSignatureType signatureType,
      String signer,
      byte[] sha256,
      boolean systemModeImage,
      List<ImageFile.Export> exports) {
    this(path, size, signingLevel, signatureType, signer, sha256, systemModeImage, exports, null);
  }
}
