package dev.pgcontainer.configrender;

import dev.pgcontainer.core.PostgresqlConf;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Writes values so that PostgreSQL reads back exactly the same text: one function per target
 * format. Templates receive values already quoted by these functions and insert them verbatim.
 */
public final class Quoting {

  /**
   * A pg_hba/pg_ident token that needs no quotes: no blank, comma, quote, '#', and no '+'/'@'
   * prefix meaning.
   */
  private static final Pattern HBA_PLAIN_TOKEN = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.$-]*");

  /** A word the shell takes literally without quotes. */
  private static final Pattern SHELL_PLAIN_WORD = Pattern.compile("[A-Za-z0-9_./=:,+%@-]+");

  /** Unquoted, these mean something else than a name; quoted, they are plain names. */
  private static final Set<String> HBA_KEYWORDS =
      Set.of("all", "sameuser", "samerole", "samegroup", "replication");

  private Quoting() {}

  /**
   * One entry of a directory list such as {@code unix_socket_directories} (the value is then quoted
   * as a whole with {@link PostgresqlConf#quote}): in double quotes, {@code "} doubled, when it
   * holds the list separator {@code ,}.
   */
  public static String directoryListEntry(String directory) {
    return directory.indexOf(',') >= 0 ? '"' + directory.replace("\"", "\"\"") + '"' : directory;
  }

  /**
   * One word of a command the server runs through {@code /bin/sh} ({@code archive_command}): as is
   * when it holds only characters the shell leaves alone, else in single quotes ({@code '} written
   * as {@code '\''}); and every {@code %} doubled, as the server reads {@code %p}, {@code %f} and
   * {@code %%} in the command. The server's own placeholders are added by the caller, unquoted.
   */
  public static String serverCommandWord(String word) {
    return shellWord(word).replace("%", "%%");
  }

  /**
   * One word of a command line that a shell, or Python's {@code shlex.split} (Patroni), splits: as
   * is when it holds only characters they leave alone, else in single quotes ({@code '} written as
   * {@code '\''}).
   */
  public static String shellWord(String word) {
    return SHELL_PLAIN_WORD.matcher(word).matches() ? word : "'" + word.replace("'", "'\\''") + "'";
  }

  /**
   * A pg_hba.conf / pg_ident.conf token naming a role or OS user: as is when that is unambiguous,
   * else in double quotes with {@code "} doubled (quoting also turns a keyword such as {@code all}
   * into a plain name).
   *
   * @throws IllegalArgumentException for a line break, which these line-based files cannot hold
   */
  public static String hbaToken(String name) {
    if (name.indexOf('\n') >= 0 || name.indexOf('\r') >= 0) {
      throw new IllegalArgumentException(
          "contains a line break, which pg_hba.conf and pg_ident.conf cannot hold");
    }
    if (HBA_PLAIN_TOKEN.matcher(name).matches()
        && !HBA_KEYWORDS.contains(name.toLowerCase(Locale.ROOT))) {
      return name;
    }
    return '"' + name.replace("\"", "\"\"") + '"';
  }
}
