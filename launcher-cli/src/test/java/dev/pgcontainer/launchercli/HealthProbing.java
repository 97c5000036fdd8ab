package dev.pgcontainer.launchercli;

import static org.assertj.core.api.Assertions.fail;

import dev.pgcontainer.testsupport.FreePorts;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * The health side of a {@link LauncherSandbox}: a port for HEALTH_LISTEN, the endpoint's pages, and
 * runs of {@code bin/pgcontainer healthcheck} with the sandbox's environment (as the image's
 * HEALTHCHECK runs it: as root, in the container's environment).
 */
final class HealthProbing {

  private static final Path LAUNCHER =
      Path.of(System.getProperty("basedir", "."))
          .toAbsolutePath()
          .resolve("target/app/bin/pgcontainer");

  private static final int ATTEMPTS = 20;

  /**
   * Between runs that ran out of time: a burst of load on the node passes, rather than hitting
   * every retry.
   */
  private static final Duration RETRY_PAUSE = Duration.ofMillis(500);

  /**
   * A healthcheck keeps to 1 s (bench/health.sh counts the runs over it, quiet and loaded); here it
   * only has to end: one still running after this long hangs, however starved the node.
   */
  static final Duration HANG_GUARD = Duration.ofSeconds(60);

  /** Reads a run's output streams on threads of their own, which never keep the test JVM alive. */
  private static final Executor READERS =
      task -> {
        Thread reader = new Thread(task, "healthcheck-output");
        reader.setDaemon(true);
        reader.start();
      };

  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private final LauncherSandbox sandbox;
  private final int port;

  private HealthProbing(LauncherSandbox sandbox, int port) {
    this.sandbox = sandbox;
    this.port = port;
  }

  static HealthProbing of(LauncherSandbox sandbox) {
    return new HealthProbing(sandbox, FreePorts.next());
  }

  int port() {
    return port;
  }

  /**
   * What a launcher (or a healthcheck) needs to serve (or ask) the endpoint on this probing's port.
   */
  Map<String, String> listen() {
    return Map.of("HEALTH_LISTEN", "127.0.0.1:" + port);
  }

  /** A launcher of the sandbox serving health on {@link #port()}. */
  RunningLauncher start(Map<String, String> overrides) {
    Map<String, String> env = new HashMap<>(listen());
    env.putAll(overrides);
    return sandbox.start(env);
  }

  HttpResponse<String> get(String path) {
    return get(path, "*/*");
  }

  HttpResponse<String> get(String path, String accept) {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
            .header("Accept", accept)
            .timeout(Duration.ofSeconds(10))
            .build();
    try {
      return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /**
   * Polls {@code path} until its answer satisfies {@code condition}; connection refusals count as
   * "not yet".
   */
  HttpResponse<String> await(
      String path, Predicate<HttpResponse<String>> condition, RunningLauncher launcher) {
    long deadline = System.nanoTime() + RunningLauncher.HANG_GUARD.toNanos();
    HttpResponse<String> last = null;
    while (System.nanoTime() < deadline) {
      try {
        last = get(path);
        if (condition.test(last)) {
          return last;
        }
      } catch (UncheckedIOException e) {
        if (!(e.getCause() instanceof ConnectException)) {
          throw e;
        }
      }
      if (!launcher.isAlive()) {
        fail("the launcher exited while waiting for %s; output:%n%s", path, launcher.output());
      }
      RunningLauncher.pause();
    }
    return fail(
        "%s never answered as expected; last answer %s %s; output:%n%s",
        path,
        last == null ? "none" : last.statusCode(),
        last == null ? "" : last.body(),
        launcher.output());
  }

  /**
   * Runs {@code pgcontainer healthcheck ARGS} with the sandbox's environment, HEALTH_LISTEN and
   * {@code overrides}; fails the test when it has not ended within {@link #HANG_GUARD} (it and its
   * JVM are killed then).
   */
  HealthcheckRun healthcheck(Map<String, String> overrides, String... arguments) {
    List<String> command = new ArrayList<>(List.of(LAUNCHER.toString(), "healthcheck"));
    command.addAll(List.of(arguments));
    ProcessBuilder builder = new ProcessBuilder(command);
    builder.environment().clear();
    builder.environment().putAll(sandbox.environment());
    builder.environment().putAll(listen());
    builder.environment().putAll(overrides);
    try {
      long start = System.nanoTime();
      Process process = builder.start();
      process.getOutputStream().close();
      CompletableFuture<String> stdout =
          CompletableFuture.supplyAsync(() -> readAll(process.getInputStream()), READERS);
      CompletableFuture<String> stderr =
          CompletableFuture.supplyAsync(() -> readAll(process.getErrorStream()), READERS);
      if (!process.waitFor(HANG_GUARD.toSeconds(), TimeUnit.SECONDS)) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        fail("%s hangs: still running after %s", command, HANG_GUARD);
      }
      Duration took = Duration.ofNanos(System.nanoTime() - start);
      return new HealthcheckRun(process.exitValue(), stdout.join(), stderr.join(), took);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /**
   * As {@link #healthcheck}, again (up to {@value #ATTEMPTS} runs, a pause apart) while an answer
   * ran out of time: for tests of what a healthcheck says, not how fast (bench/health.sh measures
   * that). On a busy 2-core node a JVM start alone can take most of the second, as Docker's
   * HEALTHCHECK retries allow for. A run that never got an answer of its own is returned as it is,
   * so the test's assertions on the answer fail rather than pass on the watchdog's DOWN.
   */
  HealthcheckRun healthcheckAnswered(Map<String, String> overrides, String... arguments) {
    HealthcheckRun run = healthcheck(overrides, arguments);
    for (int attempt = 1; attempt < ATTEMPTS && run.ranOutOfTime(); attempt++) {
      System.out.printf(
          "[measured] healthcheck ran out of time (%d ms), again%n", run.took().toMillis());
      pauseBeforeRetry();
      run = healthcheck(overrides, arguments);
    }
    return run;
  }

  /**
   * One finished {@code pgcontainer healthcheck}, timed from start to exit (for the failure
   * messages only).
   */
  record HealthcheckRun(int exitCode, String stdout, String stderr, Duration took) {
    List<String> lines() {
      return stdout.lines().toList();
    }

    /**
     * DOWN for want of time, not for what a check found: a client's or probe's deadline, the JVM's
     * watchdog or bin/pgcontainer's kill of the JVM, as a loaded node brings about.
     */
    boolean ranOutOfTime() {
      return stdout.contains("no answer within") || stderr.contains("no answer within");
    }

    @Override
    public String toString() {
      return "exit "
          + exitCode
          + " after "
          + took.toMillis()
          + " ms; stdout:\n"
          + stdout
          + "stderr:\n"
          + stderr;
    }
  }

  private static void pauseBeforeRetry() {
    try {
      Thread.sleep(RETRY_PAUSE.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static String readAll(java.io.InputStream stream) {
    try (stream) {
      return new String(stream.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
