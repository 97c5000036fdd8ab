package dev.pgcontainer.container;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.CreateContainerCmd;
import com.github.dockerjava.api.command.HealthState;
import com.github.dockerjava.api.model.Bind;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.Volume;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;

/**
 * What the image tests do to containers beyond Testcontainers' API: docker stop, health state,
 * named volumes.
 */
final class Engine {

  /**
   * The grace before SIGKILL of {@link #stop}: far above {@code docker stop}'s default 10 s, so
   * that a loaded machine cannot turn a clean stop into a kill (exit 137). Whether a stop fits the
   * default grace is a time, measured by bench/image.sh.
   */
  static final int STOP_GRACE_SECONDS = 120;

  private Engine() {}

  static DockerClient client() {
    return DockerClientFactory.lazyClient();
  }

  /**
   * As {@code docker stop}: SIGTERM (the image's STOPSIGNAL), SIGKILL after {@link
   * #STOP_GRACE_SECONDS}; exit code.
   */
  static int stop(GenericContainer<?> container) {
    client().stopContainerCmd(container.getContainerId()).withTimeout(STOP_GRACE_SECONDS).exec();
    Long exitCode =
        client()
            .inspectContainerCmd(container.getContainerId())
            .exec()
            .getState()
            .getExitCodeLong();
    return exitCode == null ? -1 : exitCode.intValue();
  }

  /**
   * Waits until the engine reports the container's HEALTHCHECK healthy and returns the last check's
   * output. Podman runs health checks from systemd timers, which machines without systemd lack:
   * there this runs each check itself ({@code podman healthcheck run}), which records its result
   * just as a timer would.
   */
  static String awaitHealthy(GenericContainer<?> container, Duration limit)
      throws InterruptedException {
    Instant deadline = Instant.now().plus(limit);
    while (true) {
      runPodmanHealthcheck(container.getContainerId());
      HealthState health =
          client().inspectContainerCmd(container.getContainerId()).exec().getState().getHealth();
      if (health != null && "healthy".equals(health.getStatus())) {
        return health.getLog().get(health.getLog().size() - 1).getOutput();
      }
      if (Instant.now().isAfter(deadline)) {
        throw new AssertionError(
            "the container's HEALTHCHECK is not healthy after "
                + limit
                + ": "
                + (health == null ? "no health state" : health.getStatus() + " " + health.getLog())
                + "\n"
                + container.getLogs());
      }
      Thread.sleep(1000);
    }
  }

  private static void runPodmanHealthcheck(String containerId) throws InterruptedException {
    try {
      Process process =
          new ProcessBuilder("podman", "healthcheck", "run", containerId)
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.DISCARD)
              .start();
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    } catch (IOException e) {
      // no podman CLI: a Docker engine runs the checks itself
    }
  }

  /**
   * Polls {@code condition} every 500 ms until it holds; fails with {@code what} after {@code
   * limit}.
   */
  static void awaitUntil(String what, Duration limit, BooleanSupplier condition)
      throws InterruptedException {
    Instant deadline = Instant.now().plus(limit);
    while (!condition.getAsBoolean()) {
      if (Instant.now().isAfter(deadline)) {
        throw new AssertionError("not within " + limit + ": " + what);
      }
      Thread.sleep(500);
    }
  }

  /**
   * A named volume, created on first mount and removed on close, so that data outlives one
   * container.
   */
  static final class NamedVolume implements AutoCloseable {

    private final String name = "pgcontainer-it-" + UUID.randomUUID().toString().substring(0, 8);

    String name() {
      return name;
    }

    /** Mounts this volume at {@code path}, beside the container's other binds. */
    Consumer<CreateContainerCmd> mountAt(String path) {
      return command -> {
        HostConfig hostConfig =
            Optional.ofNullable(command.getHostConfig()).orElseGet(HostConfig::newHostConfig);
        List<Bind> binds =
            new ArrayList<>(
                hostConfig.getBinds() == null ? List.of() : Arrays.asList(hostConfig.getBinds()));
        binds.add(new Bind(name, new Volume(path)));
        command.withHostConfig(hostConfig.withBinds(binds));
      };
    }

    @Override
    public void close() {
      client().removeVolumeCmd(name).exec();
    }
  }
}
