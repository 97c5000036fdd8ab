package dev.pgcontainer.launchercli;

import dev.pgcontainer.core.EnvironmentVariable;
import dev.pgcontainer.core.PgcontainerException;
import dev.pgcontainer.core.Variable;
import dev.pgcontainer.embedded.Features;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * {@code X_FILE} values the start script read as root before it dropped to the server user, who may
 * not read them (a Docker secret of mode 0600): handed over on the launcher's stdin, one {@code
 * X_FILE BASE64} a line, so that they never pass through the environment or the command line. Each
 * becomes the value of {@code X}, as if the launcher had read the file itself.
 */
final class HandedOverFiles {

  /** Set by the start script when the launcher's stdin holds the handover. */
  static final String ON_STDIN_VARIABLE = "PGCONTAINER_FILES_ON_STDIN";

  private HandedOverFiles() {}

  /**
   * {@code env} with the files on {@code stdin} applied when {@link #ON_STDIN_VARIABLE} says so;
   * else {@code env}.
   */
  static Map<String, String> fromStdin(Map<String, String> env, InputStream stdin) {
    if (!"true".equals(env.get(ON_STDIN_VARIABLE))) {
      return env;
    }
    try {
      return applied(env, new String(stdin.readAllBytes(), StandardCharsets.US_ASCII));
    } catch (IOException e) {
      throw new PgcontainerException(
          "could not read the X_FILE values the start script hands over on stdin: "
              + e.getMessage(),
          e);
    }
  }

  /**
   * {@code env} where each {@code X_FILE} of {@code handover} is replaced by {@code X} holding the
   * file's value. An {@code X_FILE} set together with {@code X} stays, so that validation reports
   * both as it would have.
   */
  static Map<String, String> applied(Map<String, String> env, String handover) {
    Map<String, String> applied = new HashMap<>(env);
    applied.remove(ON_STDIN_VARIABLE);
    for (String line : handover.split("\n")) {
      if (line.isBlank()) {
        continue;
      }
      String[] parts = line.split(" ", 2);
      String fileVariable = parts[0];
      Optional<EnvironmentVariable> variable =
          fileVariable.endsWith(Variable.FILE_SUFFIX)
              ? variable(
                  fileVariable.substring(0, fileVariable.length() - Variable.FILE_SUFFIX.length()))
              : Optional.empty();
      if (parts.length != 2 || variable.isEmpty() || !variable.get().acceptsFile()) {
        // the line's value is not shown: it may be a secret
        throw new PgcontainerException(
            "the start script handed over an unexpected line for '"
                + fileVariable
                + "' on stdin: bin/pgcontainer and the launcher are of different versions");
      }
      if (!env.containsKey(fileVariable) || env.containsKey(variable.get().name())) {
        continue;
      }
      String content;
      try {
        content = new String(Base64.getDecoder().decode(parts[1].trim()), StandardCharsets.UTF_8);
      } catch (IllegalArgumentException e) {
        throw new PgcontainerException(
            "the start script handed over " + fileVariable + " in a form that is not base64", e);
      }
      applied.remove(fileVariable);
      applied.put(variable.get().name(), Variable.valueOfFile(content));
    }
    return Map.copyOf(applied);
  }

  /** Core's variable or a feature's called {@code name}. */
  private static Optional<EnvironmentVariable> variable(String name) {
    for (EnvironmentVariable variable : Features.variables()) {
      if (variable.name().equals(name)) {
        return Optional.of(variable);
      }
    }
    return Optional.empty();
  }
}
