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
 * Lets the launcher handle signals in Java through {@code sun.misc.Signal}, so SIGTERM becomes a
 * graceful shutdown and exit 0 rather than the JVM's shutdown hooks and 143. QUIT cannot be
 * handled, the launcher must never run with {@code -Xrs}, and a signal the parent ignored stays
 * ignored ({@link SignalRegistration#ignoredByParent()}): see docs/internals.md, Signals. Handlers
 * should hand the signal over (e.g. to the supervisor's queue) rather than do the work.
 */
public final class Signals {

  private static final Logger LOG = LoggerFactory.getLogger(Signals.class);

  /** The JVM refuses to install a handler for these when the parent left them ignored. */
  private static final Set<PosixSignal> SHUTDOWN_SIGNALS =
      EnumSet.of(PosixSignal.TERM, PosixSignal.INT, PosixSignal.HUP);

  private Signals() {}

  /**
   * Calls {@code handler} on every delivery of one of {@code signals}. All or nothing: if one
   * signal cannot be handled, none stays installed.
   *
   * @throws PgcontainerException when the JVM refuses a signal (QUIT always; TERM, INT and HUP
   *     under {@code -Xrs})
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
    previousHandlers.forEach(
        (signal, previous) -> Signal.handle(new Signal(signal.name()), previous));
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
