package dev.pgcontainer.feature;

import java.util.List;

/** The command line itself is wrong (exit 2), as opposed to the environment (exit 78). */
public final class UsageException extends RuntimeException {

  public UsageException(String message) {
    super(message);
  }

  public static void requireNoArguments(List<String> arguments) {
    if (!arguments.isEmpty()) {
      throw new UsageException("unexpected argument '" + arguments.get(0) + "'");
    }
  }
}
