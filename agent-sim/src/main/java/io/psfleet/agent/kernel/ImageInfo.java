package io.psfleet.agent.kernel;

/**
 * IMAGE_INFO, with IMAGE_INFO_EX's file object when {@code extendedInfoPresent} (the sensor reads
 * the file, to hash it, through that object).
 */
public record ImageInfo(
    boolean systemModeImage,
    boolean imageMappedToAllPids,
    SeSigningLevel imageSignatureLevel,
    SeImageSignatureType imageSignatureType,
    boolean imagePartialMap,
    long imageBase,
    long imageSize,
    boolean extendedInfoPresent,
    ImageFile fileObject) {}
