package io.psfleet.agent.kernel;

/**
 * DRIVER_OBJECT of a loaded driver. {@link #forceIntegrity} is the image's
 * IMAGE_DLLCHARACTERISTICS_FORCE_INTEGRITY flag (linker option /INTEGRITYCHECK), which
 * PsSetCreateProcessNotifyRoutineEx demands of the image holding the routine.
 */
public final class DriverObject {
  private final ImageFile image;
  private final boolean forceIntegrity;
  private DriverUnload driverUnload;
  private boolean loaded = true;

  DriverObject(ImageFile image, boolean forceIntegrity) {
    this.image = image;
    this.forceIntegrity = forceIntegrity;
  }

  public ImageFile image() {
    return image;
  }

  public boolean forceIntegrity() {
    return forceIntegrity;
  }

  /** DriverEntry stores its unload routine here; a driver without one cannot be unloaded. */
  public void setDriverUnload(DriverUnload driverUnload) {
    this.driverUnload = driverUnload;
  }

  DriverUnload driverUnload() {
    return driverUnload;
  }

  boolean loaded() {
    return loaded;
  }

  void setUnloaded() {
    loaded = false;
  }

  @Override
  public String toString() {
    return "DRIVER_OBJECT(" + image.fileName() + ")";
  }

  /** PDRIVER_UNLOAD. */
  @FunctionalInterface
  public interface DriverUnload {
    void unload(DriverObject driverObject);
  }
}
