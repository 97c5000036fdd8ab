package dev.pgcontainer.patroni;

import dev.pgcontainer.core.EnvironmentVariable;
import java.util.Optional;

/** Patroni's variables of the contract (see the spec's tables), with their defaults. */
public enum PatroniVariable implements EnvironmentVariable {
  PATRONI_ENABLE("false"),
  PATRONI_SCOPE("postgres-cluster"),
  PATRONI_NAME(null),
  PATRONI_NAMESPACE("/service/"),
  PATRONI_ETCD_HOSTS("localhost:2379"),
  PATRONI_RESTAPI_LISTEN("0.0.0.0:8008"),
  PATRONI_CONNECT_ADDRESS(null),
  PATRONI_REPLICATION_USER("replicator"),
  /** A secret: {@code PATRONI_REPLICATION_PASSWORD_FILE} accepted, value never printed. */
  PATRONI_REPLICATION_PASSWORD(null),
  PATRONI_TTL("30"),
  PATRONI_LOOP_WAIT("10"),
  PATRONI_RETRY_TIMEOUT("10"),
  PATRONI_SYNCHRONOUS_MODE("false"),
  PATRONI_WATCHDOG_MODE("off"),
  PATRONI_WATCHDOG_DEVICE("/dev/watchdog"),
  PATRONI_WATCHDOG_SAFETY_MARGIN("5");

  private final String defaultValue;

  PatroniVariable(String defaultValue) {
    this.defaultValue = defaultValue;
  }

  @Override
  public Optional<String> defaultValue() {
    return Optional.ofNullable(defaultValue);
  }

  @Override
  public boolean isSecret() {
    return this == PATRONI_REPLICATION_PASSWORD;
  }

  @Override
  public boolean acceptsFile() {
    return isSecret();
  }
}
