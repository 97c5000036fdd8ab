package dev.pgcontainer.backup;

import dev.pgcontainer.supervision.ProcessFailedException;
import java.util.List;
import java.util.stream.Collectors;

/** Short descriptions of failures for health and logs, which show one line per problem. */
final class Failures {

  private Failures() {}

  /**
   * pgBackRest's own {@code ERROR:} line and its hints when a pgbackrest command failed (they say
   * what is wrong far better than the exit code), else the exception's message.
   */
  static String summary(RuntimeException failure) {
    if (failure instanceof ProcessFailedException failed) {
      List<String> lines = failed.lastOutputLines();
      int error = lines.size() - 1;
      while (error >= 0 && !lines.get(error).contains("ERROR:")) {
        error--;
      }
      if (error >= 0) {
        return lines.subList(error, lines.size()).stream()
            .map(String::trim)
            .filter(
                line ->
                    line.startsWith("ERROR:")
                        || line.contains(" ERROR:")
                        || line.startsWith("HINT:"))
            .map(line -> line.substring(line.indexOf(line.contains("ERROR:") ? "ERROR:" : "HINT:")))
            .collect(Collectors.joining(" "));
      }
    }
    return failure.getMessage();
  }
}
