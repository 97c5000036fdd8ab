package dev.pgcontainer.instance;

import dev.pgcontainer.supervision.ManagedProcess;
import dev.pgcontainer.supervision.StopLadder;
import dev.pgcontainer.supervision.StopTarget;
import dev.pgcontainer.supervision.Supervisor;
import java.util.List;
import java.util.Optional;

/**
 * What runs postgres under a {@link ServerRun}: the launcher itself ({@link PostgresRun}) or a
 * program that manages postgres (Patroni, supplied by its feature). The run's sequence is the same
 * for both; these are its steps that differ, each called once, in this order.
 */
public interface ServerManager {

  /**
   * Begins a run of {@code setup}: checks what would make the start fail later (a missing program,
   * an unusable device), before anything is made.
   */
  Steps begin(ServerSetup setup);

  /**
   * One run's steps, after the directories are made and what a killed launcher left running is
   * stopped.
   */
  interface Steps {

    /**
     * A server already started for this run (the start script's fast restart), adopted instead of
     * making and starting one; empty to go the whole way.
     */
    default Optional<Server> adoptStarted(
        PostgresInstance instance, List<RunExtension> extensions) {
      return Optional.empty();
    }

    /**
     * PGDATA before the configuration is written: makes the cluster or leaves it to the manager.
     *
     * @return true when this start made a new cluster
     */
    boolean makeCluster(
        PostgresInstance instance, Supervisor supervisor, List<RunExtension> extensions);

    /**
     * After the configuration is written: what the start needs, then the start of the supervised
     * process.
     */
    Server start(
        PostgresInstance instance,
        Supervisor supervisor,
        List<RunExtension> extensions,
        boolean newCluster);
  }

  /** The started server as the run supervises it. */
  interface Server {

    /** The supervised process: when it ends, the run ends. */
    ManagedProcess process();

    /** What a stop signal stops: the process, or the process and its helpers. */
    StopTarget stopTarget();

    StopLadder ladder();

    /**
     * Waits until the server is ready and does what ready needs (the password, the database); a
     * failure stops the server and fails the run.
     *
     * @return how the server runs, for the ready line, e.g. " as the Patroni leader (read-write)"
     */
    String awaitReady(Supervisor supervisor, List<RunExtension> extensions);

    /** SIGHUP: the configuration is written again and the server reloads it. */
    void reload();

    /** Once the server is ready and announced. */
    default void ready() {}

    /** Once the server is stopped or has ended: what must not outlive it. */
    default void afterStop() {}
  }
}
