package dev.pgcontainer.citus;

import dev.pgcontainer.core.EnvironmentVariable;
import java.util.Optional;

/** Citus' variables of the contract (see the spec's tables), with their defaults. */
public enum CitusVariable implements EnvironmentVariable {
  CITUS_ENABLE("false"),
  CITUS_ROLE("standalone"),
  CITUS_COORDINATOR_HOST("localhost"),
  CITUS_COORDINATOR_PORT("5432"),
  CITUS_AUTO_REGISTER_WORKERS("false"),
  CITUS_NODE_HOST(null),
  CITUS_DATABASE(null),
  CITUS_GROUP(null);

  private final String defaultValue;

  CitusVariable(String defaultValue) {
    this.defaultValue = defaultValue;
  }

  @Override
  public Optional<String> defaultValue() {
    return Optional.ofNullable(defaultValue);
  }
}
