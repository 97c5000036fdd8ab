package dev.pgcontainer.core;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Runs a short-lived helper command (postgres --version, pg_config) to completion and captures what
 * it printed.
 */
final class ShortCommand {

  /**
   * Generous: these commands take milliseconds, but a loaded node must not turn into a false error.
   */
  static final Duration TIMEOUT = Duration.ofSeconds(10);

  private static final File NO_INPUT = new File("/dev/null");

  private ShortCommand() {}

  record Result(int exitCode, String stdout, String stderr) {}

  /**
   * Runs {@code command} with exactly {@code environment} (nothing inherited), so its output does
   * not depend on ours.
   */
  static Result run(List<String> command, Map<String, String> environment) {
    ProcessBuilder builder = new ProcessBuilder(command);
    builder.environment().clear();
    builder.environment().putAll(environment);
    builder.redirectInput(NO_INPUT);
    Process process;
    try {
      process = builder.start();
    } catch (IOException e) {
      throw new PgcontainerException(
          "could not run " + String.join(" ", command) + ": " + e.getMessage(), e);
    }
    // Both pipes are drained at once: a child that fills one while we block on the other would
    // never finish.
    CompletableFuture<String> stdout = readFully(process.getInputStream());
    CompletableFuture<String> stderr = readFully(process.getErrorStream());
    try {
      if (!process.waitFor(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly();
        throw new PgcontainerException(
            String.join(" ", command)
                + " did not finish within "
                + TIMEOUT.toSeconds()
                + " s; is the node overloaded?");
      }
      return new Result(process.exitValue(), stdout.join(), stderr.join());
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new PgcontainerException("interrupted while running " + String.join(" ", command), e);
    }
  }

  private static CompletableFuture<String> readFully(InputStream stream) {
    return CompletableFuture.supplyAsync(
        () -> {
          try (stream) {
            return new String(stream.readAllBytes(), StandardCharsets.UTF_8);
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        },
        task -> {
          Thread reader = new Thread(task, "short-command-reader");
          reader.setDaemon(true);
          reader.start();
        });
  }
}
