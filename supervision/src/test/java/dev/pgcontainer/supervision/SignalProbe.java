package dev.pgcontainer.supervision;

import dev.pgcontainer.core.PgcontainerException;
import java.util.Set;

/**
 * Run in a child JVM by {@link SignalsIT}: prints what {@link Signals} made of each signal named in
 * the arguments.
 */
public final class SignalProbe {

  private SignalProbe() {}

  public static void main(String[] signalNames) {
    for (String name : signalNames) {
      PosixSignal signal = PosixSignal.valueOf(name);
      try (SignalRegistration registration = Signals.handle(Set.of(signal), delivered -> {})) {
        System.out.println(
            "probe: "
                + name
                + (registration.ignoredByParent().isEmpty() ? " handled" : " ignored by parent"));
      } catch (PgcontainerException e) {
        System.out.println("probe: " + name + " refused");
      }
    }
  }
}
