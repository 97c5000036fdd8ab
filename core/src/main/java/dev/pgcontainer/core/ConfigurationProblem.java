package dev.pgcontainer.core;

import java.util.Objects;
import java.util.Optional;

/**
 * One thing wrong with the environment: the variable, the value that was given (already redacted
 * when secret), what is wrong and what would be accepted.
 *
 * @param variable the environment variable (or config file) the problem is about
 * @param value the offending value as the user wrote it, or empty when the variable is missing or
 *     secret
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
   * Values longer than this are cut in messages: a megabyte of value would drown the other
   * problems.
   */
  static final int SHOWN_VALUE_LENGTH = 80;

  /**
   * One line for an operator, e.g. {@code LOG_LEVEL='LOUD': must be one of DEBUG, INFO, WARN,
   * ERROR}. A control character in the value is shown escaped ({@code \n}, {@code \r}, {@code \t},
   * {@code \x1b}), so that the value cannot pass for further lines; a value longer than {@value
   * #SHOWN_VALUE_LENGTH} characters is cut, with its length, here and where the message repeats it.
   */
  @Override
  public String toString() {
    // A name is shown escaped too: the environment's names may hold any character but '='.
    if (value.isEmpty()) {
      return escaped(variable) + ": " + escaped(message);
    }
    String shown = shown(value.get());
    String explained =
        value.get().length() > SHOWN_VALUE_LENGTH ? message.replace(value.get(), shown) : message;
    return escaped(variable) + "='" + shown + "': " + escaped(explained);
  }

  /**
   * {@code value} as a message shows it: cut to its first characters when long, control characters
   * escaped.
   */
  static String shown(String value) {
    if (value.length() <= SHOWN_VALUE_LENGTH) {
      return escaped(value);
    }
    int end =
        Character.isHighSurrogate(value.charAt(SHOWN_VALUE_LENGTH - 1))
            ? SHOWN_VALUE_LENGTH - 1
            : SHOWN_VALUE_LENGTH;
    return escaped(value.substring(0, end)) + "... (" + value.length() + " characters)";
  }

  private static String escaped(String text) {
    StringBuilder escaped = null;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c >= 0x20 && c != 0x7f) {
        if (escaped != null) {
          escaped.append(c);
        }
        continue;
      }
      if (escaped == null) {
        escaped = new StringBuilder(text.length() + 8).append(text, 0, i);
      }
      switch (c) {
        case '\n' -> escaped.append("\\n");
        case '\r' -> escaped.append("\\r");
        case '\t' -> escaped.append("\\t");
        default -> escaped.append(String.format("\\x%02x", (int) c));
      }
    }
    return escaped == null ? text : escaped.toString();
  }
}
