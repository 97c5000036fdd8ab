package dev.pgcontainer.core;

import java.util.Optional;

/**
 * A variable of the environment contract: core's own are {@link Variable}, a feature declares its
 * own and hands them to {@link FeatureSettingsRules#variables()}.
 */
public interface EnvironmentVariable {

  /** The variable's name in the environment, e.g. {@code PGDATA}. */
  String name();

  /** The documented default, when the variable has a fixed one. */
  Optional<String> defaultValue();

  /** Whether the value is a secret, never to be logged or shown. */
  default boolean isSecret() {
    return false;
  }

  /** Whether {@code NAME_FILE} may give this variable's value. */
  default boolean acceptsFile() {
    return false;
  }
}
