package io.psfleet.agent.kernel;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * An executable file on disk that can be mapped as an image: an EXE, a DLL or a driver.
 *
 * <p>One instance stands for the file on every host of a fleet (they run the same Windows build),
 * so hosts share it instead of copying paths and hashes. The kernel uses the path, the size and the
 * code-integrity verdict; the signer and the hash stand for the file's content, which a sensor
 * reads through the file object.
 *
 * <p>Image bases follow Windows ASLR: randomised once per boot and then the same in every process
 * of that boot, which is why a {@code LoadLibraryW} address taken in one process is valid in
 * another. The base is computed from the boot's salt and the file's catalog slot, a bijection, so
 * no two images of a boot overlap and no host stores a base table.
 *
 * <p>{@link #size()} is the PE header's {@code SizeOfImage}, what {@code IMAGE_INFO.ImageSize}
 * reports: the size of the mapped image rounded up to the section alignment, so always a whole
 * number of 4 KB pages. The MD5, SHA-1 and import hash are derived from the SHA-256, which stands
 * for the content: the same bytes under any path give the same four hashes on every host. A file
 * taken from a recording keeps the hashes the recording measured instead, so rules that name a real
 * file's MD5 or import hash match it after replay.
 */
public final class ImageFile {
  /** Largest image the address layout accepts (one ASLR slot). */
  public static final long MAX_IMAGE_SIZE = 16L << 20;

  /** Section alignment of the images Windows maps: one page. */
  public static final long PAGE_SIZE = 0x1000;

  private static final int SLOTS = 1 << 16;
  private static final long USER_IMAGE_TOP = 0x7FF8_0000_0000L;
  private static final long SYSTEM_IMAGE_BOTTOM = 0xFFFF_F800_0000_0000L;

  private final int slot;
  private final String path;
  private final String fileName;
  private final long size;
  private final SeSigningLevel signingLevel;
  private final SeImageSignatureType signatureType;
  private final String signer;
  private final byte[] sha256;
  private final byte[] md5;
  private final byte[] sha1;
  private final byte[] imphash;
  private final VersionResource versionResource;
  private final boolean systemModeImage;
  private final int[] exportOffsets;
  private final String[] exportNames;

  ImageFile(
      int slot,
      String path,
      long size,
      SeSigningLevel signingLevel,
      SeImageSignatureType signatureType,
      String signer,
      byte[] sha256,
      boolean systemModeImage,
      List<Export> exports,
      VersionResource versionResource,
      ImageFileSpec.Digests knownDigests) {
    if (slot < 0 || slot >= SLOTS) {
      throw new IllegalArgumentException("image catalog is full (" + SLOTS + " images)");
    }
    if (size <= 0 || size > MAX_IMAGE_SIZE) {
      throw new IllegalArgumentException(
          "image size must be 1.." + MAX_IMAGE_SIZE + " bytes, got " + size + " for " + path);
    }
    if (sha256.length != 32) {
      throw new IllegalArgumentException("sha256 must be 32 bytes for " + path);
    }
    this.slot = slot;
    this.path = Objects.requireNonNull(path, "path");
    this.fileName = path.substring(path.lastIndexOf('\\') + 1);
    this.size = (size + PAGE_SIZE - 1) & -PAGE_SIZE;
    this.signingLevel = Objects.requireNonNull(signingLevel, "signingLevel");
    this.signatureType = Objects.requireNonNull(signatureType, "signatureType");
    this.signer = signer;
    this.sha256 = sha256.clone();
    ImageFileSpec.Digests known =
        knownDigests == null ? new ImageFileSpec.Digests(null, null, null) : knownDigests;
    this.md5 = known.md5() != null ? known.md5().clone() : derive("MD5", sha256, "file");
    this.sha1 = known.sha1() != null ? known.sha1().clone() : derive("SHA-1", sha256, "file");
    this.imphash =
        known.imphash() != null ? known.imphash().clone() : derive("MD5", sha256, "imports");
    this.versionResource = versionResource;
    this.systemModeImage = systemModeImage;
    Export[] sorted =
        exports.stream()
            .sorted((a, b) -> Integer.compare(a.offset(), b.offset()))
            .toArray(Export[]::new);
    this.exportOffsets = new int[sorted.length];
    this.exportNames = new String[sorted.length];
    for (int i = 0; i < sorted.length; i++) {
      if (sorted[i].offset() < 0 || sorted[i].offset() >= size) {
        throw new IllegalArgumentException("export " + sorted[i] + " lies outside " + path);
      }
      exportOffsets[i] = sorted[i].offset();
      exportNames[i] = sorted[i].name();
    }
  }

  /** An exported function and its offset from the image base. */
  public record Export(String name, int offset) {}

  /** Full NT path, e.g. {@code C:\Windows\System32\kernel32.dll}. */
  public String path() {
    return path;
  }

  /** Last path component, e.g. {@code kernel32.dll}. */
  public String fileName() {
    return fileName;
  }

  /** SizeOfImage: a whole number of pages. */
  public long size() {
    return size;
  }

  /** MD5 of the file's content (a copy). */
  public byte[] md5() {
    return md5.clone();
  }

  /** SHA-1 of the file's content (a copy). */
  public byte[] sha1() {
    return sha1.clone();
  }

  /** Import hash (MD5 of the normalised import table) of the file (a copy). */
  public byte[] imphash() {
    return imphash.clone();
  }

  /** The file's version resource, or null when it has none. */
  public VersionResource versionResource() {
    return versionResource;
  }

  public SeSigningLevel signingLevel() {
    return signingLevel;
  }

  public SeImageSignatureType signatureType() {
    return signatureType;
  }

  /** Signer subject, or null for an unsigned file. */
  public String signer() {
    return signer;
  }

  /** SHA-256 of the file's content (a copy). */
  public byte[] sha256() {
    return sha256.clone();
  }

  /** True for a driver, mapped into system space. */
  public boolean systemModeImage() {
    return systemModeImage;
  }

  /** The image's base in a boot whose ASLR salt is {@code bootSalt}. */
  public long baseAddress(long bootSalt) {
    int multiplier = (int) (bootSalt >>> 16) | 1; // odd, so slot -> position is a bijection
    int position = (slot * multiplier + (int) bootSalt) & (SLOTS - 1);
    long offset = (long) position * MAX_IMAGE_SIZE;
    return systemModeImage
        ? SYSTEM_IMAGE_BOTTOM + offset
        : USER_IMAGE_TOP - MAX_IMAGE_SIZE - offset;
  }

  /** The exported function at {@code offset} from the base, or null when none starts there. */
  public String exportAt(long offset) {
    if (offset < 0 || offset > Integer.MAX_VALUE) {
      return null;
    }
    int i = Arrays.binarySearch(exportOffsets, (int) offset);
    return i >= 0 ? exportNames[i] : null;
  }

  /** Offset of an exported function; throws when the image does not export it. */
  public int exportOffset(String name) {
    for (int i = 0; i < exportNames.length; i++) {
      if (exportNames[i].equals(name)) {
        return exportOffsets[i];
      }
    }
    throw new IllegalArgumentException(fileName + " does not export " + name);
  }

  /** A digest of the content stand-in, so the hashes follow the content and not the path. */
  private static byte[] derive(String algorithm, byte[] content, String what) {
    try {
      MessageDigest digest = MessageDigest.getInstance(algorithm);
      digest.update(what.getBytes(StandardCharsets.US_ASCII));
      return digest.digest(content);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has " + algorithm, e);
    }
  }

  @Override
  public String toString() {
    return path;
  }
}
