package dev.pgcontainer.embedded;

import dev.pgcontainer.core.PgcontainerException;
import dev.pgcontainer.instance.Phase;
import dev.pgcontainer.instance.ServerRun;
import dev.pgcontainer.supervision.PosixSignal;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * A {@link ServerRun} on a thread of its own, for a program that embeds it: started, awaited until
 * ready, stopped with the run's own graceful ladder. The run never takes the JVM's signals; its
 * supervisor stops it on request.
 */
final class BackgroundRun {

  /**
   * How often the wait for readiness looks at the run's phase; the run itself bounds how long that
   * takes.
   */
  private static final long POLL_MILLIS = 2;

  private final ServerRun run;
  private final CompletableFuture<Integer> exit = new CompletableFuture<>();

  private BackgroundRun(ServerRun run) {
    this.run = run;
  }

  /** Starts {@code run} on a thread named {@code name}. */
  static BackgroundRun start(ServerRun run, String name) {
    BackgroundRun background = new BackgroundRun(run.withoutSignalHandlers());
    Thread thread =
        new Thread(
            () -> {
              try {
                background.exit.complete(background.run.run());
              } catch (Throwable e) {
                background.exit.completeExceptionally(e);
              }
            },
            name);
    thread.setDaemon(true);
    thread.start();
    return background;
  }

  /**
   * Waits until the run says the server is ready, or it ended; at most {@code deadline} (the run
   * bounds its own start with TIMEOUT; the deadline is for waits it leaves open, such as a
   * replica's base backup).
   *
   * @throws PgcontainerException when the run ended or failed before the server was ready, with the
   *     reason
   */
  void awaitReady(String what, Duration deadline) {
    long end = System.nanoTime() + deadline.toNanos();
    while (run.state().phase() != Phase.RUNNING) {
      if (exit.isDone()) {
        throw new PgcontainerException(what + " did not start: " + reason(), failure());
      }
      if (System.nanoTime() > end) {
        stop();
        throw new PgcontainerException(what + " was not ready within " + deadline + "; stopped it");
      }
      try {
        Thread.sleep(POLL_MILLIS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        stop();
        throw new PgcontainerException("interrupted while waiting for " + what + "; stopped it", e);
      }
    }
  }

  Phase phase() {
    return run.state().phase();
  }

  boolean ended() {
    return exit.isDone();
  }

  /**
   * Stops the server gracefully (the run's stop ladder) and waits for the run to end; returns its
   * exit code.
   */
  int stop() {
    run.state().requestStop();
    try {
      return exit.join();
    } catch (CompletionException e) {
      return 1;
    }
  }

  /**
   * Kills the supervised process (postgres, or Patroni) with SIGKILL, as a crash would, and waits
   * for the run to end (the launcher kills a postgres Patroni leaves behind).
   */
  int kill() {
    run.state().server().ifPresent(process -> process.signal(PosixSignal.KILL));
    try {
      return exit.join();
    } catch (CompletionException e) {
      return 1;
    }
  }

  private String reason() {
    Throwable failure = failure();
    return failure != null
        ? failure.getMessage()
        : "the run ended with exit code " + exit.join() + " (see its log)";
  }

  private Throwable failure() {
    try {
      exit.join();
      return null;
    } catch (CompletionException e) {
      return e.getCause();
    }
  }
}
