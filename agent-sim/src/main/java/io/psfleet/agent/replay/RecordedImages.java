package io.psfleet.agent.replay;

import io.psfleet.agent.kernel.ImageCatalog;
import io.psfleet.agent.kernel.ImageFile;
import io.psfleet.agent.kernel.ImageFileSpec;
import io.psfleet.agent.kernel.SeImageSignatureType;
import io.psfleet.agent.kernel.SeSigningLevel;
import io.psfleet.agent.replay.RecordedEvent.RecordedImage;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;

/**
 * The files of recordings, registered in the fleet's catalog once and shared by every host that
 * replays them (10,000 transplants of one recording hold one copy of each file).
 */
final class RecordedImages {
  /**
   * Sysmon does not record SizeOfImage; a stand-in size, one ASLR slot's worth of nothing in
   * particular, as the kernel needs one.
   */
  private static final long STAND_IN_SIZE = 0x20000;

  private final ImageCatalog catalog;

  RecordedImages(ImageCatalog catalog) {
    this.catalog = catalog;
  }

  /**
   * Registers every file {@code recording} will map, in file order, before any host plays it: the
   * catalog's registration order decides image bases, and hosts on several worker threads would
   * otherwise register in an order that changes from run to run.
   */
  void registerAll(Recording recording) {
    for (Recording.StandIn standIn : recording.standIns()) {
      file(RecordedImage.pathOnly(standIn.image()), false);
    }
    for (RecordedEvent event : recording.events()) {
      if (event instanceof RecordedEvent.ProcessStart start) {
        file(start.image(), false);
      } else if (event instanceof RecordedEvent.ModuleLoad load) {
        file(load.module(), false);
      } else if (event instanceof RecordedEvent.DriverLoad driver) {
        file(driver.driver(), true);
      }
    }
  }

  ImageFile file(RecordedImage image, boolean driver) {
    HexFormat hex = HexFormat.of();
    byte[] sha256 =
        image.sha256() != null ? hex.parseHex(image.sha256()) : standInContent(image, driver);
    SeSigningLevel level;
    SeImageSignatureType type;
    if (image.signer() == null) {
      level = driver ? SeSigningLevel.UNCHECKED : SeSigningLevel.UNSIGNED;
      type = SeImageSignatureType.NONE;
    } else if (image.signer().toLowerCase(Locale.ROOT).startsWith("microsoft")) {
      level = SeSigningLevel.MICROSOFT;
      type = SeImageSignatureType.CATALOG_CACHED;
    } else {
      level = SeSigningLevel.AUTHENTICODE;
      type = SeImageSignatureType.EMBEDDED;
    }
    return catalog.registerRecorded(
        new ImageFileSpec(
            image.path(),
            STAND_IN_SIZE,
            level,
            type,
            image.signer(),
            sha256,
            driver,
            List.of(),
            image.version(),
            new ImageFileSpec.Digests(
                image.md5() == null ? null : hex.parseHex(image.md5()),
                image.sha1() == null ? null : hex.parseHex(image.sha1()),
                image.imphash() == null ? null : hex.parseHex(image.imphash()))));
  }

  /**
   * A content stand-in for a file recorded without SHA-256: what the recording knows of it, so the
   * same recorded file is the same file on every host, and another one is not.
   */
  private static byte[] standInContent(RecordedImage image, boolean driver) {
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      String known =
          String.join(
              "|",
              image.path().toLowerCase(Locale.ROOT),
              String.valueOf(image.sha1()),
              String.valueOf(image.md5()),
              String.valueOf(image.imphash()),
              String.valueOf(image.version()),
              String.valueOf(image.signer()),
              String.valueOf(driver));
      return digest.digest(known.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }

  /** The fleet's own file at {@code path} (its kernel32.dll, with its exports), or null. */
  ImageFile fleetFile(String path) {
    return catalog.find(path);
  }
}
