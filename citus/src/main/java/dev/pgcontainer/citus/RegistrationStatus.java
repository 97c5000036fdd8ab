package dev.pgcontainer.citus;

import java.time.Instant;
import java.util.Locale;
import java.util.Objects;

/**
 * A worker's registration with its coordinator at one moment.
 *
 * @param state where it stands
 * @param detail what happened last, for an operator: the node id when registered, the last error
 *     while registering or after failing (never a secret: connection errors name hosts and users
 *     only)
 * @param since when it entered {@code state}
 */
record RegistrationStatus(RegistrationState state, String detail, Instant since) {

  public RegistrationStatus {
    Objects.requireNonNull(state, "state");
    Objects.requireNonNull(detail, "detail");
    Objects.requireNonNull(since, "since");
  }

  public static RegistrationStatus notRegistered(String why, Instant now) {
    return new RegistrationStatus(RegistrationState.NOT_REGISTERED, why, now);
  }

  public static RegistrationStatus registering(String lastError, Instant since) {
    return new RegistrationStatus(RegistrationState.REGISTERING, lastError, since);
  }

  public static RegistrationStatus registered(String how, Instant now) {
    return new RegistrationStatus(RegistrationState.REGISTERED, how, now);
  }

  public static RegistrationStatus failed(String reason, Instant now) {
    return new RegistrationStatus(RegistrationState.FAILED, reason, now);
  }

  public static RegistrationStatus managedByPatroni(String how, Instant now) {
    return new RegistrationStatus(RegistrationState.MANAGED_BY_PATRONI, how, now);
  }

  /** Whether the coordinator knows this worker. */
  public boolean registered() {
    return state == RegistrationState.REGISTERED;
  }

  /**
   * One line, e.g. {@code registering (connection refused)} or {@code failed, not registered: ...}.
   */
  @Override
  public String toString() {
    String word =
        state == RegistrationState.FAILED
            ? "failed, not registered"
            : state.name().toLowerCase(Locale.ROOT).replace('_', ' ');
    return detail.isEmpty() ? word : word + ": " + detail;
  }
}
