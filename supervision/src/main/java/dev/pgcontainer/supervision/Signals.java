package dev.pgcontainer.supervision;

import dev.pgcontainer.core.PgcontainerException;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * Lets the launcher receive signals in Java through {@code sun.misc.Signal} (module {@code jdk.unsupported}, no flags
 * needed), so SIGTERM becomes a graceful server shutdown and exit 0 instead of the JVM's default of running shutdown
 * hooks and exiting 143.
 *
 * <p>Verified on OpenJDK 17.0.15, Linux:
 *
 * <ul>
 *   <li>Without {@code -Xrs}: TERM, INT and HUP can be handled (replacing the JVM's shutdown-hook handler), as can
 *       USR1, USR2, ALRM, WINCH, CHLD, CONT, TSTP, ABRT, PIPE. QUIT cannot: the JVM keeps it for thread dumps ("Signal
 *       already used by VM or OS"), so a SIGQUIT sent to the JVM prints a thread dump and is otherwise ignored. (The
 *       start script, the JVM's parent, turns the SIGQUIT it receives into SIGUSR2; see {@link Supervisor}.)
 *   <li>With {@code -Xrs}: TERM, INT, HUP and QUIT are all refused, so the launcher must never run with {@code -Xrs}.
 *   <li>When the parent process had set TERM, INT or HUP to "ignore" (nohup; a non-interactive shell starting a
 *       background job ignores INT and QUIT), registering appears to work but the JVM leaves the signal ignored and
 *       the handler never runs; {@link SignalRegistration#ignoredByParent()} reports those. Other ignored signals
 *       (e.g. USR1) are installed normally.
 * </ul>
 *
 * <p>Handlers run on a short-lived JVM thread per delivery; they should hand the signal over (e.g. to the supervisor's
 * queue) rather than do the work.
 */
public final class Signals {

  private static final Logger LOG = LoggerFactory.getLogger(Signals.class);

  /** The JVM refuses to install a handler for these when the parent left them ignored. */
  private static final Set<PosixSignal> SHUTDOWN_SIGNALS =
      EnumSet.of(PosixSignal.TERM, PosixSignal.INT, PosixSignal.HUP);

  private Signals() {}

  /**
   * Calls {@code handler} on every delivery of one of {@code signals}. All or nothing: if one signal cannot be handled,
   * none stays installed.
   *
   * @throws PgcontainerException when the JVM refuses a signal (QUIT always; TERM, INT and HUP under {@code -Xrs})
   */
  public static SignalRegistration handle(Set<PosixSignal> signals, Consumer<PosixSignal> handler) {
    Map<PosixSignal, SignalHandler> replaced = new EnumMap<>(PosixSignal.class);
    Set<PosixSignal> ignoredByParent = EnumSet.noneOf(PosixSignal.class);
    for (PosixSignal signal : signals) {
      SignalHandler previous;
      try {
        previous = Signal.handle(new Signal(signal.name()), delivered -> deliver(signal, handler));
      } catch (IllegalArgumentException e) {
        restore(replaced);
        throw new PgcontainerException(
            "cannot handle "
                + signal.signalName()
                + " in Java: the JVM refuses it ("
                + e.getMessage()
                + "). SIGQUIT is always reserved for thread dumps; SIGTERM, SIGINT and SIGHUP are refused only when"
                + " the JVM runs with -Xrs, so remove -Xrs from the JVM options",
            e);
      }
      replaced.put(signal, previous);
      if (previous == SignalHandler.SIG_IGN && SHUTDOWN_SIGNALS.contains(signal)) {
        ignoredByParent.add(signal);
        LOG.warn(
            "{} is ignored by the process that started pgcontainer (nohup or a background shell job), so pgcontainer"
                + " will not receive it; start pgcontainer without ignoring it",
            signal.signalName());
      }
    }
    return new SignalRegistration(() -> restore(replaced), ignoredByParent);
  }

  private static void restore(Map<PosixSignal, SignalHandler> previousHandlers) {
    previousHandlers.forEach((signal, previous) -> Signal.handle(new Signal(signal.name()), previous));
  }

  private static void deliver(PosixSignal signal, Consumer<PosixSignal> handler) {
    LOG.info("received {}", signal.signalName());
    try {
      handler.accept(signal);
    } catch (RuntimeException e) {
      LOG.error("handling {} failed", signal.signalName(), e);
    }
  }
}
