package dev.pgcontainer.configrender;

import dev.pgcontainer.testsupport.Sandbox;
import dev.pgcontainer.testsupport.ServerBinaries;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs the installed PostgreSQL binaries for integration tests; as the {@code postgres} OS user
 * when run as root.
 */
final class PostgresCommands {

  private static final Duration TIMEOUT = Duration.ofSeconds(60);

  /** What a command printed and how it ended. */
  record Result(int exitCode, String stdout, String stderr) {
    Result requireSuccess() {
      if (exitCode != 0) {
        throw new AssertionError(
            "command failed with exit code " + exitCode + ":\n" + stderr + stdout);
      }
      return this;
    }
  }

  private PostgresCommands() {}

  /** Runs {@code binary} with {@code arguments} as the current user. */
  static Result run(String binary, List<String> arguments, Map<String, String> environment) {
    List<String> command = new ArrayList<>();
    command.add(ServerBinaries.binary(binary).toString());
    command.addAll(arguments);
    return execute(command, environment);
  }

  /** Runs {@code binary} as the server's OS user: the server refuses root. */
  static Result runAsServerUser(
      String binary, List<String> arguments, Map<String, String> environment) {
    List<String> command = new ArrayList<>();
    if (Sandbox.runsAsRoot()) {
      command.addAll(List.of("runuser", "-u", Sandbox.serverOsUser(), "--"));
    }
    command.add(ServerBinaries.binary(binary).toString());
    command.addAll(arguments);
    return execute(command, environment);
  }

  private static Result execute(List<String> command, Map<String, String> environment) {
    try {
      Path stdout = Files.createTempFile("pgcontainer-it-", ".out");
      Path stderr = Files.createTempFile("pgcontainer-it-", ".err");
      try {
        ProcessBuilder builder =
            new ProcessBuilder(command)
                .directory(
                    new File(
                        "/")) // the server's OS user may not be allowed into the build's directory
                .redirectOutput(stdout.toFile())
                .redirectError(stderr.toFile());
        builder.environment().putAll(environment);
        Process process = builder.start();
        if (!process.waitFor(TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
          process.destroyForcibly();
          throw new AssertionError("timed out after " + TIMEOUT + ": " + command);
        }
        return new Result(
            process.exitValue(),
            Files.readString(stdout, StandardCharsets.UTF_8),
            Files.readString(stderr, StandardCharsets.UTF_8));
      } finally {
        Files.deleteIfExists(stdout);
        Files.deleteIfExists(stderr);
      }
    } catch (IOException e) {
      throw new AssertionError("cannot run " + command + ": " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted while running " + command, e);
    }
  }
}
