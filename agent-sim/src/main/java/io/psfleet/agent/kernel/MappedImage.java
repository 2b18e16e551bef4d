package io.psfleet.agent.kernel;

/** An image mapped in a process, and where. */
public record MappedImage(ImageFile file, long base) {
  public boolean contains(long address) {
    return address >= base && address - base < file.size();
  }
}
