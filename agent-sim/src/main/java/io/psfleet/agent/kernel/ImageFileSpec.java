package io.psfleet.agent.kernel;

import java.util.List;

/**
 * What a file on disk is, before the catalog gives it a slot.
 *
 * @param size the image's size; the catalog rounds it up to whole pages (SizeOfImage)
 * @param versionResource the file's version resource, or null when it has none
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
    VersionResource versionResource) {

  public ImageFileSpec {
    exports = List.copyOf(exports);
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
