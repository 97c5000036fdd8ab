package dev.pgcontainer.core;

import java.util.Objects;
import java.util.Optional;

/**
 * One thing wrong with the environment: the variable, the value that was given (already redacted when secret), what is
 * wrong and what would be accepted.
 *
 * @param variable the environment variable (or config file) the problem is about
 * @param value the offending value as the user wrote it, or empty when the variable is missing or secret
 * @param message what is wrong and what to do about it
 */
public record ConfigurationProblem(String variable, Optional<String> value, String message) {

  public ConfigurationProblem {
    Objects.requireNonNull(variable, "variable");
    Objects.requireNonNull(value, "value");
    Objects.requireNonNull(message, "message");
  }

  public static ConfigurationProblem of(String variable, String value, String message) {
    return new ConfigurationProblem(variable, Optional.ofNullable(value), message);
  }

  public static ConfigurationProblem missing(String variable, String message) {
    return new ConfigurationProblem(variable, Optional.empty(), message);
  }

  /**
   * One line for an operator, e.g. {@code LOG_LEVEL='LOUD': must be one of DEBUG, INFO, WARN, ERROR}; a line break in
   * the value is shown as {@code \n} or {@code \r}, so that the value cannot pass for further lines.
   */
  @Override
  public String toString() {
    return value.map(v -> variable + "='" + v.replace("\n", "\\n").replace("\r", "\\r") + "': " + message)
        .orElse(variable + ": " + message);
  }
}
