package dev.pgcontainer.core;

import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * How a parameter line of {@code postgresql.conf} is spelled. The settings check and the renderer
 * must write lines the same way, or the server would judge a different file from the one it is
 * started with.
 */
public final class PostgresqlConf {

  /**
   * The config-file lexer's ID and QUALIFIED_ID: one identifier, or exactly two joined by one dot.
   * (SET accepts more dots; the file does not, and a file syntax error hides every other problem.)
   */
  private static final Pattern PARAMETER_NAME =
      Pattern.compile("[A-Za-z_][A-Za-z0-9_]*(?:\\.[A-Za-z_][A-Za-z0-9_]*)?");

  /** Words the file reader treats as directives that read other files, whatever their case. */
  private static final Set<String> DIRECTIVES =
      Set.of("include", "include_dir", "include_if_exists");

  private PostgresqlConf() {}

  /**
   * What is wrong with {@code name} as a parameter name in the file, or empty when it can be
   * written. Says nothing about whether the server knows the name.
   */
  public static Optional<String> nameProblem(String name) {
    if (DIRECTIVES.contains(name.toLowerCase(Locale.ROOT))) {
      return Optional.of(
          "'"
              + name
              + "' is a postgresql.conf directive, not a parameter: to include a file, mount a postgresql.conf"
              + " in PGCONFIG that includes it");
    }
    if (!PARAMETER_NAME.matcher(name).matches()) {
      return Optional.of(
          "'"
              + name
              + "' is not a parameter name: use letters, digits and underscores, not starting with a digit,"
              + " with at most one dot (written __ in the variable), e.g. POSTGRESQL_PG_STAT_STATEMENTS__MAX");
    }
    return Optional.empty();
  }

  /**
   * {@code value} as a quoted file literal the server reads back exactly: quotes doubled,
   * backslashes and line breaks escaped (an unescaped backslash would start an escape, a raw line
   * break would end the line).
   *
   * @throws IllegalArgumentException for a NUL character, which no file value can hold
   */
  public static String quote(String value) {
    StringBuilder quoted = new StringBuilder(value.length() + 8).append('\'');
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      switch (c) {
        case '\\' -> quoted.append("\\\\");
        case '\'' -> quoted.append("''");
        case '\n' -> quoted.append("\\n");
        case '\r' -> quoted.append("\\r");
        case '\t' -> quoted.append("\\t");
        case '\0' ->
            throw new IllegalArgumentException(
                "a postgresql.conf value cannot contain a NUL character");
        default -> {
          if (c < ' ' || c == '\u007f') {
            // Always three digits, so that a following digit is not read as part of the escape.
            quoted
                .append('\\')
                .append((char) ('0' + (c >> 6)))
                .append((char) ('0' + ((c >> 3) & 7)))
                .append((char) ('0' + (c & 7)));
          } else {
            quoted.append(c);
          }
        }
      }
    }
    return quoted.append('\'').toString();
  }

  /**
   * The line {@code name = 'value'}.
   *
   * @throws IllegalArgumentException when {@link #nameProblem(String)} finds the name unwritable or
   *     the value holds NUL
   */
  public static String line(String name, String value) {
    nameProblem(name)
        .ifPresent(
            problem -> {
              throw new IllegalArgumentException(problem);
            });
    return name + " = " + quote(value);
  }
}
