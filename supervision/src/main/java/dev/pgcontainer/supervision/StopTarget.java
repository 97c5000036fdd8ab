package dev.pgcontainer.supervision;

import java.time.Duration;
import java.util.Optional;

/**
 * What {@link StopLadder} needs from a process; a seam so the ladder's timing can be tested without
 * processes.
 */
public interface StopTarget {

  /** For the log, e.g. {@code postgres}. */
  String name();

  /** Sends the signal; false when the process had already exited. */
  boolean signal(PosixSignal signal);

  /** The exit, once the process has ended within the timeout. */
  Optional<ProcessExit> waitFor(Duration timeout) throws InterruptedException;
}
