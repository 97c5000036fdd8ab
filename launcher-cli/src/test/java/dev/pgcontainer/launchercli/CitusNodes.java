package dev.pgcontainer.launchercli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.pgcontainer.citus.CitusPreflight;
import dev.pgcontainer.core.PgInstallation;
import dev.pgcontainer.testsupport.ServerBinaries;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;

/**
 * What the Citus ITs share: whether Citus is installed, the environments of each role, and waits on
 * SQL answers.
 */
final class CitusNodes {

  private static final Optional<PgInstallation> SERVER =
      Optional.of(ServerBinaries.binDir()).filter(Files::isDirectory).map(PgInstallation::at);

  static final boolean CITUS_INSTALLED = SERVER.map(CitusPreflight::isInstalled).orElse(false);

  static final String SKIP_REASON =
      "citus.so not found in " + pkglibdir() + ": install the Citus extension to run these";

  private static final Duration POLL = Duration.ofMillis(200);

  private CitusNodes() {}

  /** What {@code pg_config --pkglibdir} of the server the tests run says. */
  private static String pkglibdir() {
    return SERVER
        .map(server -> server.binDir().resolve("pg_config"))
        .filter(Files::isExecutable)
        .map(pgConfig -> LauncherSandbox.run(List.of(pgConfig.toString(), "--pkglibdir")).strip())
        .orElse("the pkglibdir of the server (no PostgreSQL with pg_config found)");
  }

  static Map<String, String> coordinator() {
    return Map.of(
        "CITUS_ENABLE", "true", "CITUS_ROLE", "coordinator", "CITUS_NODE_HOST", "127.0.0.1");
  }

  static Map<String, String> worker(int coordinatorPort) {
    return Map.of(
        "CITUS_ENABLE",
        "true",
        "CITUS_ROLE",
        "worker",
        "CITUS_NODE_HOST",
        "127.0.0.1",
        "CITUS_COORDINATOR_HOST",
        "127.0.0.1",
        "CITUS_COORDINATOR_PORT",
        String.valueOf(coordinatorPort),
        "CITUS_AUTO_REGISTER_WORKERS",
        "true");
  }

  static Map<String, String> with(Map<String, String> base, String... namesAndValues) {
    Map<String, String> all = new HashMap<>(base);
    for (int i = 0; i < namesAndValues.length; i += 2) {
      all.put(namesAndValues[i], namesAndValues[i + 1]);
    }
    return all;
  }

  /**
   * The single value of {@code sql} on the coordinator's sandbox, asked until it equals {@code
   * expected}.
   */
  static void awaitValue(LauncherSandbox sandbox, String sql, String expected, Duration bound)
      throws Exception {
    long deadline = System.nanoTime() + bound.toNanos();
    String last = null;
    while (System.nanoTime() < deadline) {
      last =
          attempt(
              () -> {
                try (Connection connection = sandbox.connect()) {
                  return LauncherSandbox.queryValue(connection, sql);
                }
              });
      if (expected.equals(last)) {
        return;
      }
      Thread.sleep(POLL.toMillis());
    }
    fail("'" + sql + "' answered " + last + ", not " + expected + ", for " + bound);
  }

  private static String attempt(Callable<String> query) throws Exception {
    try {
      return query.call();
    } catch (SQLException e) {
      return "error: " + e.getMessage();
    }
  }

  /** The body of {@code GET path} on a launcher's health endpoint at 127.0.0.1:{@code port}. */
  static String httpGet(int port, String path, String accept)
      throws IOException, InterruptedException {
    return HttpClient.newHttpClient()
        .send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Accept", accept)
                .build(),
            HttpResponse.BodyHandlers.ofString())
        .body();
  }

  /**
   * {@code bin/pgcontainer ARGS} with the sandbox's environment plus {@code overrides}; returns
   * exit code and output.
   */
  static CommandResult command(
      LauncherSandbox sandbox, Map<String, String> overrides, String... arguments) {
    List<String> command =
        new ArrayList<>(
            List.of(
                Path.of(System.getProperty("basedir", "."))
                    .toAbsolutePath()
                    .resolve("target/app/bin/pgcontainer")
                    .toString()));
    command.addAll(List.of(arguments));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().clear();
    builder.environment().putAll(sandbox.environment());
    builder.environment().putAll(overrides);
    try {
      Process process = builder.start();
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      return new CommandResult(process.waitFor(), output);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  record CommandResult(int exitCode, String output) {
    CommandResult assertSucceeded() {
      assertThat(exitCode).as("exit code; output:%n%s", output).isZero();
      return this;
    }
  }
}
