package dev.pgcontainer.citus;

import dev.pgcontainer.health.Probe;
import dev.pgcontainer.health.ProbeResult;
import dev.pgcontainer.health.ProbeStatus;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The {@code citus} check with {@code CITUS_ENABLE=true}: the launcher's {@link CitusState} as a
 * health verdict, read from memory (a check never connects anywhere). DEGRADED "not registered:
 * ..." for a worker that registers itself and is not registered yet (still trying, or given up: the
 * server keeps serving, but the coordinator sends it nothing); UP otherwise: registered, not a
 * worker, registered by Patroni, or added by the coordinator's operator ({@code
 * CITUS_AUTO_REGISTER_WORKERS=false}, which the launcher cannot see).
 */
final class CitusProbe implements Probe {

  private final CitusState state;
  private final boolean registersItself;

  /**
   * @param registersItself whether this node is a worker that registers itself
   *     (CITUS_AUTO_REGISTER_WORKERS)
   */
  CitusProbe(CitusState state, boolean registersItself) {
    this.state = state;
    this.registersItself = registersItself;
  }

  @Override
  public String name() {
    return CitusFeature.CHECK.name();
  }

  @Override
  public ProbeResult check() {
    RegistrationStatus registration = state.registration();
    CitusRole role = state.role();
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("role", role.name().toLowerCase(Locale.ROOT));
    details.put("registration", registration.state().name().toLowerCase(Locale.ROOT));
    details.put("registration_since", registration.since().toString());
    ProbeResult result =
        switch (registration.state()) {
          case REGISTERED -> ProbeResult.up("registered: " + registration.detail());
          case MANAGED_BY_PATRONI ->
              ProbeResult.up(
                  role == CitusRole.WORKER
                      ? "registration is Patroni's: " + registration.detail()
                      : role.name().toLowerCase(Locale.ROOT) + " under Patroni");
          case REGISTERING ->
              ProbeResult.of(
                  ProbeStatus.DEGRADED,
                  "not registered: still trying (" + registration.detail() + ")");
          case FAILED ->
              ProbeResult.of(ProbeStatus.DEGRADED, "not registered: " + registration.detail());
          case NOT_REGISTERED ->
              role != CitusRole.WORKER
                  ? ProbeResult.up(
                      role.name().toLowerCase(Locale.ROOT) + ": not a worker, nothing to register")
                  : registersItself
                      ? ProbeResult.of(
                          ProbeStatus.DEGRADED, "not registered: " + registration.detail())
                      : ProbeResult.up(registration.detail());
        };
    return result.withDetails(details);
  }
}
