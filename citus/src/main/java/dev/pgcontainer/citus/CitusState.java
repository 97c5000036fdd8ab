package dev.pgcontainer.citus;

import dev.pgcontainer.core.Settings;
import dev.pgcontainer.patroni.PatroniSettings;
import java.time.Instant;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicReference;

/**
 * What the running launcher knows about its Citus node, shared with health and metrics: the role
 * and, for a worker that registers itself, how its registration stands. Thread-safe; written by the
 * registration thread, read by anyone.
 */
final class CitusState {

  private final CitusRole role;
  private final AtomicReference<RegistrationStatus> registration;

  private CitusState(CitusRole role, RegistrationStatus initial) {
    this.role = role;
    this.registration = new AtomicReference<>(initial);
  }

  /**
   * The state at the start of a run of {@code settings}: nothing registered yet, or Patroni's to
   * do.
   */
  public static CitusState forSettings(Settings settings) {
    CitusSettings citus = CitusSettings.of(settings);
    if (PatroniSettings.of(settings).enabled()) {
      return new CitusState(
          citus.role(),
          RegistrationStatus.managedByPatroni(
              "the coordinator's Patroni registers the leader of each worker group",
              Instant.now()));
    }
    String why =
        citus.role() != CitusRole.WORKER
            ? "a "
                + citus.role().name().toLowerCase(Locale.ROOT)
                + " does not register with a coordinator"
            : citus.autoRegisterWorkers()
                ? "the server is not ready yet"
                : "CITUS_AUTO_REGISTER_WORKERS=false: the coordinator's operator adds this worker";
    return new CitusState(citus.role(), RegistrationStatus.notRegistered(why, Instant.now()));
  }

  public CitusRole role() {
    return role;
  }

  public RegistrationStatus registration() {
    return registration.get();
  }

  void update(RegistrationStatus status) {
    registration.set(status);
  }
}
