package dev.pgcontainer.supervision;

import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Renders commands and their output for people: shell-like quoting keeps arguments with spaces
 * recognisable.
 */
final class CommandLines {

  private static final Pattern PLAIN = Pattern.compile("[A-Za-z0-9_@%+=:,./-]+");

  private CommandLines() {}

  static String render(List<String> argv) {
    return argv.stream().map(CommandLines::quote).collect(Collectors.joining(" "));
  }

  /** The indented block under a failure message: the command, then the last output lines. */
  static String report(List<String> command, List<String> lastOutputLines) {
    StringBuilder report = new StringBuilder("\n  command: ").append(render(command));
    if (lastOutputLines.isEmpty()) {
      return report.append("\n  (no output)").toString();
    }
    report.append("\n  last ").append(lastOutputLines.size()).append(" output lines:");
    lastOutputLines.forEach(line -> report.append("\n    ").append(line));
    return report.toString();
  }

  private static String quote(String argument) {
    return PLAIN.matcher(argument).matches()
        ? argument
        : "'" + argument.replace("'", "'\\''") + "'";
  }
}
