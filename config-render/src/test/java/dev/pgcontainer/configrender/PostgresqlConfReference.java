package dev.pgcontainer.configrender;

import java.util.regex.Pattern;

/**
 * How PostgreSQL 15 reads a quoted string in postgresql.conf, transcribed from guc-file.l: the
 * lexer's STRING rule and DeescapeQuotedString. Used to check {@link Quoting} without a server.
 */
final class PostgresqlConfReference {

  /** guc-file.l: {@code STRING \'([^'\\\n]|\\.|\'\')*\'} (flex's '.' excludes the newline). */
  private static final Pattern STRING_TOKEN =
      Pattern.compile("'([^'\\\\\\n]|\\\\[^\\n]|'')*'", Pattern.DOTALL);

  private PostgresqlConfReference() {}

  /**
   * The value the server reads from {@code literal}; fails unless the lexer would take it as one
   * string token.
   */
  static String unquote(String literal) {
    if (!STRING_TOKEN.matcher(literal).matches()) {
      throw new IllegalArgumentException("not a single postgresql.conf string token: " + literal);
    }
    StringBuilder value = new StringBuilder();
    for (int i = 1; i < literal.length() - 1; i++) {
      char c = literal.charAt(i);
      if (c == '\\') {
        char next = literal.charAt(++i);
        switch (next) {
          case 'b' -> value.append('\b');
          case 'f' -> value.append('\f');
          case 'n' -> value.append('\n');
          case 'r' -> value.append('\r');
          case 't' -> value.append('\t');
          default -> {
            if (next >= '0' && next <= '7') {
              int octal = 0;
              int digits = 0;
              while (digits < 3
                  && literal.charAt(i + digits) >= '0'
                  && literal.charAt(i + digits) <= '7') {
                octal = (octal << 3) + (literal.charAt(i + digits) - '0');
                digits++;
              }
              i += digits - 1;
              value.append((char) octal);
            } else {
              value.append(next);
            }
          }
        }
      } else if (c == '\'' && literal.charAt(i + 1) == '\'') {
        value.append('\'');
        i++;
      } else {
        value.append(c);
      }
    }
    return value.toString();
  }
}
