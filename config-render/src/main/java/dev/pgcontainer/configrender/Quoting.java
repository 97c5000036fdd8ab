package dev.pgcontainer.configrender;

import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Writes values so that PostgreSQL reads back exactly the same text: one function per target format. Templates
 * receive values already quoted by these functions and insert them verbatim.
 */
final class Quoting {

  /** A pg_hba/pg_ident token that needs no quotes: no blank, comma, quote, '#', and no '+'/'@' prefix meaning. */
  private static final Pattern HBA_PLAIN_TOKEN = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.$-]*");

  /** Unquoted, these mean something else than a name; quoted, they are plain names. */
  private static final Set<String> HBA_KEYWORDS = Set.of("all", "sameuser", "samerole", "samegroup", "replication");

  private Quoting() {}

  /**
   * A postgresql.conf string literal: in single quotes, with {@code \} as {@code \\}, {@code '} as {@code ''}, newline,
   * carriage return and tab as {@code \n}, {@code \r}, {@code \t}, other control characters as 3-digit octal; every
   * other character (Unicode included) stays as it is, since the lexer takes any byte but these.
   *
   * @throws IllegalArgumentException for a NUL character, which a setting cannot hold
   */
  static String postgresqlConfString(String value) {
    StringBuilder quoted = new StringBuilder(value.length() + 8).append('\'');
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      switch (c) {
        case '\\' -> quoted.append("\\\\");
        case '\'' -> quoted.append("''");
        case '\n' -> quoted.append("\\n");
        case '\r' -> quoted.append("\\r");
        case '\t' -> quoted.append("\\t");
        case '\0' -> throw new IllegalArgumentException("contains a NUL character, which postgresql.conf cannot hold");
        default -> {
          if (c < ' ' || c == '\u007f') {
            // Always three digits, so that a following digit is not read as part of the escape.
            quoted.append('\\').append((char) ('0' + (c >> 6))).append((char) ('0' + ((c >> 3) & 7)))
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
   * One entry of a directory list such as {@code unix_socket_directories} (the value is then quoted as a whole with
   * {@link #postgresqlConfString}): in double quotes, {@code "} doubled, when it holds the list separator {@code ,}.
   */
  static String directoryListEntry(String directory) {
    return directory.indexOf(',') >= 0 ? '"' + directory.replace("\"", "\"\"") + '"' : directory;
  }

  /**
   * A pg_hba.conf / pg_ident.conf token naming a role or OS user: as is when that is unambiguous, else in double quotes
   * with {@code "} doubled (quoting also turns a keyword such as {@code all} into a plain name).
   *
   * @throws IllegalArgumentException for a line break, which these line-based files cannot hold
   */
  static String hbaToken(String name) {
    if (name.indexOf('\n') >= 0 || name.indexOf('\r') >= 0) {
      throw new IllegalArgumentException("contains a line break, which pg_hba.conf and pg_ident.conf cannot hold");
    }
    if (HBA_PLAIN_TOKEN.matcher(name).matches() && !HBA_KEYWORDS.contains(name.toLowerCase(Locale.ROOT))) {
      return name;
    }
    return '"' + name.replace("\"", "\"\"") + '"';
  }
}
