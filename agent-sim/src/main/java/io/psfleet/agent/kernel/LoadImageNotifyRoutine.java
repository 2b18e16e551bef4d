package io.psfleet.agent.kernel;

/**
 * PLOAD_IMAGE_NOTIFY_ROUTINE: an image was mapped. {@code processId} is 0 for a driver. Runs in the
 * context of the thread that mapped the image, at PASSIVE_LEVEL.
 */
@FunctionalInterface
public interface LoadImageNotifyRoutine {
  void onImageLoad(String fullImageName, int processId, ImageInfo imageInfo);
}
