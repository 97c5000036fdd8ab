package dev.pgcontainer.patroni;

import java.util.Optional;

/**
 * A feature's part of {@code patroni.yml}, for Patroni's own support of it: a feature's settings
 * record that implements this is written under {@link #patroniKey()} when it gives a section.
 */
public interface PatroniConfigSection {

  /** The section's top-level key in {@code patroni.yml}, e.g. {@code citus}. */
  String patroniKey();

  /** The section's content (written as YAML), or empty when the feature needs none. */
  Optional<Object> patroniSection();
}
