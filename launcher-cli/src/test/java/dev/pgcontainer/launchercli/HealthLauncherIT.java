package dev.pgcontainer.launchercli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pgcontainer.launchercli.HealthProbing.HealthcheckRun;
import dev.pgcontainer.supervision.PosixSignal;
import dev.pgcontainer.testsupport.Sandbox;
import dev.pgcontainer.testsupport.SandboxExtension;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Health through the real launcher on a healthy server: the endpoint's pages, {@code pgcontainer
 * healthcheck} through the launcher's socket (also when the launcher is frozen), through the
 * endpoint and directly, its DOWN answers (wrong port, disk threshold, stopped server), and a
 * shutdown that the launcher's kept health connection does not hold up.
 */
@ExtendWith(SandboxExtension.class)
class HealthLauncherIT {

  private LauncherSandbox sandbox;
  private HealthProbing health;

  @BeforeEach
  void createSandboxWithCluster(Sandbox temporary) {
    sandbox = LauncherSandbox.withInitialisedCluster(temporary);
    health = HealthProbing.of(sandbox);
  }

  @Test
  void healthyServerThenDownAnswersThenStoppedServer() throws IOException {
    RunningLauncher launcher = health.start(Map.of());
    launcher.awaitReady();
    health.await("/ready", response -> response.statusCode() == 200, launcher);

    HttpResponse<String> live = health.get("/live");
    HttpResponse<String> healthPage = health.get("/health");
    JsonNode json = new ObjectMapper().readTree(healthPage.body());
    assertThat(live.statusCode()).isEqualTo(200);
    assertThat(healthPage.statusCode()).isEqualTo(200);
    assertThat(json.path("status").asText()).isEqualTo("UP");
    assertThat(json.path("phase").asText()).isEqualTo("RUNNING");
    assertThat(json.path("checks").findValuesAsText("status"))
        .containsExactly("UP", "UP", "UP", "UP", "UP", "UP");
    assertThat(health.get("/metrics").body())
        .contains("pgcontainer_up 1.0", "pgcontainer_role{role=\"primary\"} 1.0");

    // as the image runs it: asked through the launcher's socket, with no JVM of its own (one could
    // not start here)
    HealthcheckRun viaSocket =
        health.healthcheckAnswered(Map.of("PGCONTAINER_JAVA_OPTS", "-XX:+NoSuchOption"));
    assertThat(viaSocket.exitCode()).as("%s", viaSocket).isZero();
    assertThat(viaSocket.lines()).hasSize(6);
    assertThat(viaSocket.lines().get(0)).matches("postgresql UP primary, \\d+\\.\\d ms");
    assertThat(viaSocket.lines().get(1)).matches("patroni UP not enabled, \\d+\\.\\d ms");
    assertThat(viaSocket.lines().get(2)).startsWith("disk UP PGDATA ");
    assertThat(viaSocket.lines().get(3))
        .matches("process UP postgres \\(pid \\d+\\) alive, started once, .*");
    assertThat(viaSocket.lines().get(4)).matches("backup UP not enabled, \\d+\\.\\d ms");
    assertThat(viaSocket.lines().get(5)).matches("citus UP not enabled, \\d+\\.\\d ms");
    assertThat(viaSocket.stderr()).isEmpty();
    HealthcheckRun oneCheck = health.healthcheckAnswered(Map.of(), "disk");
    assertThat(oneCheck.exitCode()).as("%s", oneCheck).isZero();
    assertThat(oneCheck.lines()).singleElement().asString().startsWith("disk UP PGDATA ");
    // the usage error comes from a JVM, which bin/pgcontainer kills at its 1 s bound on a starved
    // node
    HealthcheckRun unknownCheck = health.healthcheckAnswered(Map.of(), "disks");
    assertThat(unknownCheck.exitCode())
        .as("the JVM's usage error: %s", unknownCheck)
        .isEqualTo(ExitCode.USAGE);
    assertThat(unknownCheck.stderr()).contains("unknown check 'disks'");

    // in a JVM of its own, through the endpoint
    HealthcheckRun viaEndpoint =
        health.healthcheckAnswered(Map.of("PGCONTAINER_ASK_LAUNCHER", "false"));
    assertThat(viaEndpoint.exitCode()).as("%s", viaEndpoint).isZero();
    assertThat(viaEndpoint.lines()).hasSize(6);
    assertThat(viaEndpoint.lines().get(0)).matches("postgresql UP primary, \\d+\\.\\d ms");
    assertThat(viaEndpoint.stderr()).as("no fallback note").isEmpty();

    // a frozen launcher takes the request but cannot answer: DOWN, and the run ends
    // (bench/health.sh times it)
    long jvm = launcher.jvmPid();
    OsProcesses.send(PosixSignal.STOP, jvm);
    HealthcheckRun frozen;
    try {
      frozen = health.healthcheck(Map.of(), "postgresql");
    } finally {
      OsProcesses.send(PosixSignal.CONT, jvm);
    }
    assertThat(frozen.exitCode()).as("%s", frozen).isEqualTo(1);
    assertThat(frozen.stdout())
        .as("%s", frozen)
        .isEqualTo(
            "postgresql DOWN the launcher took the request but gave no"
                + " answer within 900 ms: it is stuck or starved of CPU\n");

    // probing directly; the postgresql probe's first pgjdbc connection costs a fresh JVM about 0.4
    // s, too much for a busy test node to fit in the second reliably: ServerHealthIT checks it
    // against a real server in-process
    HealthcheckRun direct =
        health.healthcheckAnswered(
            Map.of("PGCONTAINER_ASK_LAUNCHER", "false", "HEALTH_LISTEN", ""), "process");
    assertThat(direct.exitCode()).as("%s", direct).isZero();
    assertThat(direct.lines())
        .singleElement()
        .asString()
        .matches("process UP postgres \\(pid \\d+\\) alive, ready, .*");

    String wrongPort = String.valueOf(sandbox.port() + 1);
    HealthcheckRun noLauncherThere =
        health.healthcheck(Map.of("POSTGRESQL_PORT", wrongPort), "postgresql");
    assertThat(noLauncherThere.exitCode()).as("%s", noLauncherThere).isEqualTo(1);
    assertThat(noLauncherThere.stdout())
        .startsWith("postgresql DOWN no launcher answers at ")
        .contains("; there is one for port " + sandbox.port() + ": does POSTGRESQL_PORT match it?");
    HealthcheckRun noServerThere =
        health.healthcheckAnswered(
            Map.of(
                "PGCONTAINER_ASK_LAUNCHER",
                "false",
                "HEALTH_LISTEN",
                "",
                "POSTGRESQL_PORT",
                wrongPort),
            "postgresql");
    assertThat(noServerThere.exitCode()).as("%s", noServerThere).isEqualTo(1);
    assertThat(noServerThere.stdout())
        .contains(
            "postgresql DOWN no server socket at ",
            ", but one for port "
                + sandbox.port()
                + ": does POSTGRESQL_PORT match the running server?");

    HealthcheckRun fullDisk =
        health.healthcheckAnswered(
            Map.of(
                "PGCONTAINER_ASK_LAUNCHER",
                "false",
                "HEALTH_LISTEN",
                "",
                "HEALTH_DISK_MIN_FREE",
                "100%"),
            "disk");
    assertThat(fullDisk.exitCode()).as("%s", fullDisk).isEqualTo(1);
    assertThat(fullDisk.stdout())
        .startsWith("disk DOWN PGDATA " + sandbox.data() + " has ")
        .contains(
            "less than HEALTH_DISK_MIN_FREE=100%: free some space, grow the volume or lower HEALTH_DISK_MIN_FREE");

    launcher.stopCleanly(PosixSignal.TERM, RunningLauncher.HANG_GUARD);
    assertThat(sandbox.socket().resolve(".s.pgcontainer." + sandbox.port()))
        .as("removed on stop")
        .doesNotExist();
    // the launcher keeps one idle health connection; it must let go at once, or only the fast step
    // could stop postgres
    assertThat(launcher.output()).contains("stopped by SIGTERM");

    HealthcheckRun noLauncher = health.healthcheck(Map.of());
    assertThat(noLauncher.exitCode()).as("%s", noLauncher).isEqualTo(1);
    assertThat(noLauncher.stdout())
        .startsWith("all DOWN no launcher answers at " + sandbox.socket());
    HealthcheckRun stopped =
        health.healthcheckAnswered(Map.of("PGCONTAINER_ASK_LAUNCHER", "false"));
    assertThat(stopped.exitCode()).as("%s", stopped).isEqualTo(1);
    assertThat(stopped.stderr())
        .contains(
            "no answer from the health endpoint at http://127.0.0.1:"
                + health.port()
                + " (Connection refused); probed directly");
    assertThat(stopped.lines().get(0))
        .startsWith("postgresql DOWN no server socket at " + sandbox.socket())
        .contains(": postgres is not running");
    assertThat(stopped.lines().get(3))
        .startsWith("process DOWN no " + sandbox.data().resolve("postmaster.pid"));
  }

  @Test
  void withTheEndpointDisabledTheHealthcheckStillAsksTheLauncher() {
    RunningLauncher launcher = health.start(Map.of("HEALTH_LISTEN", ""));
    launcher.awaitReady();
    launcher.awaitOutput(
        "health endpoint disabled (HEALTH_LISTEN is empty); pgcontainer healthcheck asks the launcher");

    // the report of the new phase follows the ready line within the refresher's phase poll
    Map<String, String> noJvm =
        Map.of("HEALTH_LISTEN", "", "PGCONTAINER_JAVA_OPTS", "-XX:+NoSuchOption");
    HealthcheckRun viaSocket = health.healthcheck(noJvm, "postgresql");
    for (int attempt = 1;
        attempt < 50 && viaSocket.stdout().startsWith("postgresql STARTING");
        attempt++) {
      RunningLauncher.pause();
      viaSocket = health.healthcheck(noJvm, "postgresql");
    }

    assertThat(viaSocket.exitCode()).as("%s", viaSocket).isZero();
    assertThat(viaSocket.lines())
        .singleElement()
        .asString()
        .matches("postgresql UP primary, \\d+\\.\\d ms");
    launcher.stopCleanly(PosixSignal.TERM, RunningLauncher.HANG_GUARD);
  }
}
