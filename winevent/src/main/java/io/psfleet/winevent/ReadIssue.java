package io.psfleet.winevent;

import java.util.Objects;

/**
 * One problem found while reading a recording: where it is and what is wrong. Readers collect these
 * instead of throwing, skip the bad part and go on with the rest of the file.
 *
 * @param source the file (name) being read
 * @param unit what {@code position} counts
 * @param position byte offset from the start of the file, line number (from 1) or object index
 *     (from 0), per {@code unit}
 * @param message what is wrong and what was skipped
 */
public record ReadIssue(String source, Unit unit, long position, String message) {

  /** What a position counts. */
  public enum Unit {
    /** Byte offset from the start of the file. */
    BYTE,
    /** Line number, from 1. */
    LINE,
    /** Position of a JSON value in a sequence of values, from 0. */
    INDEX
  }

  public ReadIssue {
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(unit, "unit");
    Objects.requireNonNull(message, "message");
  }

  static ReadIssue atByte(String source, long offset, String message) {
    return new ReadIssue(source, Unit.BYTE, offset, message);
  }

  static ReadIssue atLine(String source, long line, String message) {
    return new ReadIssue(source, Unit.LINE, line, message);
  }

  static ReadIssue atIndex(String source, long index, String message) {
    return new ReadIssue(source, Unit.INDEX, index, message);
  }

  @Override
  public String toString() {
    String where =
        switch (unit) {
          case BYTE -> "byte " + position + " (0x" + Long.toHexString(position) + ")";
          case LINE -> "line " + position;
          case INDEX -> "value #" + position;
        };
    return source + ": " + where + ": " + message;
  }
}
