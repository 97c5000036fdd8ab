package dev.pgcontainer.core;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * One message postgres wrote to stderr with an empty {@code log_line_prefix}, e.g. {@code LOG:
 * invalid value for parameter "wal_level": "bogus"} followed by {@code HINT: Available values:
 * minimal, replica, logical.}
 *
 * @param severity LOG, WARNING, FATAL, ...
 * @param text the primary message
 * @param explanations the DETAIL and HINT texts that followed it, in order
 */
record ServerLogMessage(String severity, String text, List<String> explanations) {

  private static final Pattern PRIMARY =
      Pattern.compile("^(DEBUG[1-5]?|LOG|INFO|NOTICE|WARNING|ERROR|FATAL|PANIC):\\s+(.*)$");
  private static final Pattern EXPLANATION = Pattern.compile("^(DETAIL|HINT):\\s+(.*)$");
  private static final Pattern OTHER_LABEL =
      Pattern.compile("^(CONTEXT|LOCATION|STATEMENT|QUERY):\\s.*$");

  /**
   * Every message about a parameter names it in double quotes after "parameter" (or "parameter
   * name").
   */
  private static final Pattern PARAMETER = Pattern.compile("parameter (?:name )?\"([^\"]+)\"");

  private static final Pattern FILE_LINE = Pattern.compile(" in file \"[^\"]*\" line (\\d{1,9})");

  ServerLogMessage {
    explanations = List.copyOf(explanations);
  }

  /**
   * Splits stderr into messages. A line that starts with no label continues the previous text (a
   * value holding a line break is printed with it); CONTEXT and similar lines, which never explain
   * a setting, are dropped.
   */
  static List<ServerLogMessage> parse(String stderr) {
    List<ServerLogMessage> messages = new ArrayList<>();
    Pending pending = null;
    for (String line : stderr.split("\n")) {
      Matcher primary = PRIMARY.matcher(line);
      Matcher explanation = EXPLANATION.matcher(line);
      if (primary.matches()) {
        if (pending != null) {
          messages.add(pending.toMessage());
        }
        pending = new Pending(primary.group(1), primary.group(2));
      } else if (pending == null) {
        continue; // nothing to attach it to
      } else if (explanation.matches()) {
        pending.explain(explanation.group(2));
      } else if (OTHER_LABEL.matcher(line).matches()) {
        pending.current = null;
      } else if (!line.isEmpty() && pending.current != null) {
        // the server indents the continuation of a text that holds a line break with one tab
        pending.current.append('\n').append(line.startsWith("\t") ? line.substring(1) : line);
      }
    }
    if (pending != null) {
      messages.add(pending.toMessage());
    }
    return messages;
  }

  /**
   * A message still being read; {@code current} is the part a continuation line belongs to, null
   * while dropping.
   */
  private static final class Pending {
    private final String severity;
    private final StringBuilder text;
    private final List<StringBuilder> explanations = new ArrayList<>();
    private StringBuilder current;

    Pending(String severity, String text) {
      this.severity = severity;
      this.text = new StringBuilder(text);
      this.current = this.text;
    }

    void explain(String explanation) {
      current = new StringBuilder(explanation);
      explanations.add(current);
    }

    ServerLogMessage toMessage() {
      return new ServerLogMessage(
          severity,
          text.toString(),
          explanations.stream().map(StringBuilder::toString).collect(Collectors.toList()));
    }
  }

  /** The parameter the message is about, e.g. {@code wal_level}, as the server spells it. */
  Optional<String> parameterName() {
    Matcher matcher = PARAMETER.matcher(text);
    return matcher.find() ? Optional.of(matcher.group(1)) : Optional.empty();
  }

  /** The line of the configuration file the message points at, for messages that name one. */
  OptionalInt fileLine() {
    Matcher matcher = FILE_LINE.matcher(text);
    return matcher.find()
        ? OptionalInt.of(Integer.parseInt(matcher.group(1)))
        : OptionalInt.empty();
  }

  /**
   * The message and its explanations as sentences, e.g. {@code invalid value ... "bogus". Available
   * values: ...}.
   */
  String sentences() {
    StringBuilder sentences = new StringBuilder(asSentence(text));
    explanations.forEach(explanation -> sentences.append(' ').append(asSentence(explanation)));
    return sentences.toString();
  }

  private static String asSentence(String text) {
    return text.endsWith(".") ? text : text + ".";
  }
}
