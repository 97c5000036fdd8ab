package dev.pgcontainer.launchercli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pgcontainer.launchercli.HealthProbing.HealthcheckRun;
import dev.pgcontainer.supervision.PosixSignal;
import dev.pgcontainer.testsupport.Sandbox;
import dev.pgcontainer.testsupport.SandboxExtension;
import dev.pgcontainer.testsupport.ServerBinaries;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The endpoint is up before initdb and says STARTING, live but not ready, while initdb runs. To
 * observe that without a race, the launcher gets a bin directory whose initdb waits for a file the
 * test creates (every other binary is the real one); then the same launcher goes on to RUNNING and
 * ready.
 */
@ExtendWith(SandboxExtension.class)
class HealthStartingIT {

  private LauncherSandbox sandbox;
  private HealthProbing health;

  @BeforeEach
  void createEmptySandbox(Sandbox temporary) {
    sandbox = LauncherSandbox.in(temporary);
    health = HealthProbing.of(sandbox);
  }

  @Test
  void startingLiveAndNotReadyWhileInitdbRunsThenReady() throws IOException {
    Path release = sandbox.root().resolve("release-initdb");
    Path binDir = binariesWithInitdbWaitingFor(release);
    RunningLauncher launcher = health.start(Map.of("PG_BINDIR", binDir.toString()));

    health.await(
        "/health", response -> response.body().contains("\"phase\":\"INITIALISING\""), launcher);
    awaitInitdbOf(launcher);

    JsonNode starting = new ObjectMapper().readTree(health.get("/health").body());
    assertThat(starting.path("status").asText()).isEqualTo("STARTING");
    assertThat(starting.path("live").asBoolean()).isTrue();
    assertThat(starting.path("ready").asBoolean()).isFalse();
    assertThat(starting.at("/checks/postgresql/reason").asText())
        .isEqualTo("initialising: the server is not started yet");
    assertThat(health.get("/live").statusCode()).isEqualTo(200);
    assertThat(health.get("/ready").statusCode()).isEqualTo(503);
    assertThat(health.get("/ready").body()).isEqualTo("not ready: phase INITIALISING\n");
    HealthcheckRun healthcheck = health.healthcheckAnswered(Map.of(), "postgresql");
    assertThat(healthcheck.exitCode()).as("%s", healthcheck).isEqualTo(1);
    assertThat(healthcheck.lines())
        .singleElement()
        .asString()
        .startsWith("postgresql STARTING initialising: the server is not started yet");
    assertThat(initdbRuns(launcher))
        .as("initdb still runs, so all of the above was seen during initdb")
        .isTrue();

    Files.createFile(release);
    launcher.awaitReady();
    health.await("/ready", response -> response.statusCode() == 200, launcher);
    assertThat(health.get("/health").statusCode()).isEqualTo(200);
    launcher.stopCleanly(PosixSignal.TERM, RunningLauncher.HANG_GUARD);
  }

  private void awaitInitdbOf(RunningLauncher launcher) {
    long deadline = System.nanoTime() + RunningLauncher.HANG_GUARD.toNanos();
    while (!initdbRuns(launcher)) {
      assertThat(launcher.isAlive()).as("launcher alive; output:%n%s", launcher.output()).isTrue();
      assertThat(System.nanoTime())
          .as("initdb started within %s", RunningLauncher.HANG_GUARD)
          .isLessThan(deadline);
      RunningLauncher.pause();
    }
  }

  /** Whether the launcher's (waiting) initdb runs: a shell running this sandbox's bin/initdb. */
  private boolean initdbRuns(RunningLauncher launcher) {
    String initdb = sandbox.root().resolve("bin/initdb").toString();
    return launcher
        .process()
        .descendants()
        .anyMatch(p -> OsProcesses.commandLineText(p.pid()).contains(initdb));
  }

  /**
   * A bin directory of links to the real binaries, except an initdb that waits until {@code
   * release} exists.
   */
  private Path binariesWithInitdbWaitingFor(Path release) throws IOException {
    Path real = ServerBinaries.binDir();
    Path binDir = Files.createDirectories(sandbox.root().resolve("bin"));
    try (Stream<Path> binaries = Files.list(real)) {
      for (Path binary : binaries.toList()) {
        if (!binary.getFileName().toString().equals("initdb")) {
          Files.createSymbolicLink(binDir.resolve(binary.getFileName()), binary);
        }
      }
    }
    Path initdb = binDir.resolve("initdb");
    Files.writeString(
        initdb,
        "#!/bin/sh\n"
            + "while [ ! -e '"
            + release
            + "' ]; do sleep 0.05; done\n"
            + "exec '"
            + real.resolve("initdb")
            + "' \"$@\"\n");
    Files.setPosixFilePermissions(initdb, PosixFilePermissions.fromString("rwxr-xr-x"));
    return binDir;
  }
}
