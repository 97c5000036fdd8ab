package dev.pgcontainer.core;

import java.util.Objects;

/**
 * A value that must never be printed: {@link #toString()} is redacted, and the only way to the text
 * is {@link #reveal()}, which names the intent at every call site.
 */
public final class Secret {

  private static final String REDACTED = "<redacted>";

  private final String value;

  private Secret(String value) {
    this.value = Objects.requireNonNull(value, "value");
  }

  public static Secret of(String value) {
    return new Secret(value);
  }

  /**
   * The secret text, for handing to a server through a file, stdin or a protocol message; never to
   * a log.
   */
  public String reveal() {
    return value;
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof Secret secret && secret.value.equals(value);
  }

  @Override
  public int hashCode() {
    return value.hashCode();
  }

  @Override
  public String toString() {
    return REDACTED;
  }
}
