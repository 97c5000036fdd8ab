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
 * SLEEP_MODE=true: alive on purpose with nothing running, so live, not ready, and "sleeping" rather
 * than down.
 */
@ExtendWith(SandboxExtension.class)
class HealthSleepModeIT {

  private LauncherSandbox sandbox;
  private HealthProbing health;

  @BeforeEach
  void createEmptySandbox(Sandbox temporary) {
    sandbox = LauncherSandbox.in(temporary);
    health = HealthProbing.of(sandbox);
  }

  @Test
  void sleepModeIsLiveNotReadyAndSleeping() throws IOException {
    RunningLauncher launcher = health.start(Map.of("SLEEP_MODE", "true"));
    health.await(
        "/health", response -> response.body().contains("\"phase\":\"SLEEPING\""), launcher);

    HttpResponse<String> ready = health.get("/ready");
    HttpResponse<String> healthPage = health.get("/health");
    JsonNode json = new ObjectMapper().readTree(healthPage.body());
    assertThat(health.get("/live").statusCode()).isEqualTo(200);
    assertThat(ready.statusCode()).isEqualTo(503);
    assertThat(ready.body()).isEqualTo("not ready: phase SLEEPING\n");
    assertThat(healthPage.statusCode()).as("sleeping is healthy").isEqualTo(200);
    assertThat(json.path("status").asText()).isEqualTo("SLEEPING");
    assertThat(json.at("/checks/postgresql/reason").asText())
        .isEqualTo("sleep mode: nothing runs on purpose");
    assertThat(json.at("/checks/process/status").asText()).isEqualTo("SLEEPING");

    HealthcheckRun healthcheck = health.healthcheckAnswered(Map.of());
    assertThat(healthcheck.exitCode()).as("%s", healthcheck).isZero();
    assertThat(healthcheck.lines().get(0))
        .startsWith("postgresql SLEEPING sleep mode: nothing runs on purpose");

    launcher.stopCleanly(PosixSignal.TERM, RunningLauncher.HANG_GUARD);
  }
}
