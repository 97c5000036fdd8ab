package dev.pgcontainer.supervision;

import dev.pgcontainer.core.PgcontainerException;

/**
 * A stop signal arrived while the launcher was still initialising or starting; the step in progress
 * was undone.
 */
public final class StopRequested extends PgcontainerException {

  private final PosixSignal signal;

  StopRequested(PosixSignal signal, String during) {
    super(
        signal.signalName()
            + " received during "
            + during
            + "; stopped before the server was ready");
    this.signal = signal;
  }

  public PosixSignal signal() {
    return signal;
  }
}
