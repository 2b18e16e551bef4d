package io.psfleet.agent.kernel;

/**
 * A UNICODE_STRING the kernel allocated from pool for a caller (SeLocateProcessImageName's buffer).
 * The caller owns it and must give it back with {@link Kernel#exFreePool}; the kernel counts the
 * buffers still out so that a leak shows in tests.
 */
public final class UnicodeString {
  private final String value;
  private boolean freed;

  UnicodeString(String value) {
    this.value = value;
  }

  /** The characters; readable until the buffer is freed. */
  public String value() {
    if (freed) {
      throw new IllegalStateException("use of a UNICODE_STRING after ExFreePool");
    }
    return value;
  }

  boolean freed() {
    return freed;
  }

  void markFreed() {
    freed = true;
  }
}
