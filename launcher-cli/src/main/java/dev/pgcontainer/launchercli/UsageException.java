package dev.pgcontainer.launchercli;

import java.util.List;

/** The command line itself is wrong (exit 2), as opposed to the environment (exit 78). */
final class UsageException extends RuntimeException {

  UsageException(String message) {
    super(message);
  }

  static void requireNoArguments(List<String> arguments) {
    if (!arguments.isEmpty()) {
      throw new UsageException("unexpected argument '" + arguments.get(0) + "'");
    }
  }
}
