package dev.pgcontainer.supervision;

import java.util.ArrayDeque;
import java.util.List;

/**
 * The last lines a child wrote, for error reports. Thread-safe: the stdout and stderr readers both
 * add to it.
 */
final class OutputTail {

  /**
   * Longer lines are cut so a runaway line (a huge failing statement, binary output) cannot hold
   * much memory.
   */
  static final int MAX_LINE_LENGTH = 2000;

  static final String CUT_MARK = " [cut]";

  private final int capacity;
  private final ArrayDeque<String> lines;

  OutputTail(int capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity must be at least 1, not " + capacity);
    }
    this.capacity = capacity;
    this.lines = new ArrayDeque<>(capacity);
  }

  synchronized void add(String line) {
    if (lines.size() == capacity) {
      lines.removeFirst();
    }
    lines.addLast(
        line.length() > MAX_LINE_LENGTH ? line.substring(0, MAX_LINE_LENGTH) + CUT_MARK : line);
  }

  /** Oldest first. */
  synchronized List<String> lines() {
    return List.copyOf(lines);
  }
}
