package io.psfleet.agent.kernel;

import java.util.List;

/** What a file on disk is, before the catalog gives it a slot. */
public record ImageFileSpec(
    String path,
    long size,
    SeSigningLevel signingLevel,
    SeImageSignatureType signatureType,
    String signer,
    byte[] sha256,
    boolean systemModeImage,
    List<ImageFile.Export> exports) {

  public ImageFileSpec {
    exports = List.copyOf(exports);
  }
}
