package dev.pgcontainer.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pgcontainer.core.Settings;
import dev.pgcontainer.instance.Phase;
import dev.pgcontainer.instance.RunState;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The phase's part in the answer, and the reasons of a direct check when nothing runs. No server is
 * involved.
 */
class HealthChecksTest {

  private static final Duration DEADLINE = Duration.ofSeconds(5);
  private static final int PORT = 54329;

  @TempDir Path root;

  @Test
  void whileTheRunInitialisesServerChecksAreStartingNotDownAndNothingConnects() {
    RunState initialising = new RunState();
    try (HealthChecks checks =
        HealthChecks.forRun(
            settings(Map.of()), initialising, DEADLINE, TestChecks.FEATURES, List.of())) {
      HealthReport report = checks.check();

      assertThat(report.phase()).isEqualTo(Phase.INITIALISING);
      assertThat(report.checks().keySet())
          .containsExactly("postgresql", "early", "disk", "process", "late");
      assertThat(report.checks().get("postgresql").status()).isEqualTo(ProbeStatus.STARTING);
      assertThat(report.checks().get("postgresql").reason())
          .isEqualTo("initialising: the server is not started yet");
      assertThat(report.checks().get("postgresql").duration()).as("answered, not probed").isZero();
      assertThat(report.checks().get("process").reason())
          .isEqualTo("no server process yet: initialising");
      assertThat(report.checks().get("disk").status()).isEqualTo(ProbeStatus.UP);
      assertThat(report.status()).isEqualTo(ProbeStatus.STARTING);
      assertThat(report.live()).isTrue();
      assertThat(report.ready()).isFalse();
      assertThat(report.isHealthy()).isFalse();
    }
  }

  @Test
  void sleepModeIsSleepingLiveNotReadyAndHealthy() {
    try (HealthChecks checks =
        HealthChecks.direct(
            settings(Map.of("SLEEP_MODE", "true")), DEADLINE, TestChecks.FEATURES)) {
      HealthReport report = checks.check();

      assertThat(report.phase()).isEqualTo(Phase.SLEEPING);
      assertThat(report.checks().get("postgresql").status()).isEqualTo(ProbeStatus.SLEEPING);
      assertThat(report.checks().get("process").status()).isEqualTo(ProbeStatus.SLEEPING);
      assertThat(report.status()).isEqualTo(ProbeStatus.SLEEPING);
      assertThat(report.live()).isTrue();
      assertThat(report.ready()).isFalse();
      assertThat(report.isHealthy()).as("sleep mode is on purpose").isTrue();
    }
  }

  @Test
  void directlyWithNoServerPostgresqlAndProcessAreDownSayingItIsNotRunning() {
    try (HealthChecks checks =
        HealthChecks.direct(settings(Map.of()), DEADLINE, TestChecks.FEATURES)) {
      HealthReport report = checks.check();

      assertThat(report.checks().get("postgresql").status()).isEqualTo(ProbeStatus.DOWN);
      assertThat(report.checks().get("postgresql").reason())
          .isEqualTo(
              "no server socket at "
                  + socketFile(PORT)
                  + ": postgres is not running (see the launcher's log)");
      assertThat(report.checks().get("process").reason())
          .isEqualTo("no " + root.resolve("data/postmaster.pid") + ": postgres is not running");
      assertThat(report.checks().get("early").reason()).isEqualTo("not enabled");
      assertThat(report.status()).isEqualTo(ProbeStatus.DOWN);
      assertThat(report.ready()).isFalse();
    }
  }

  @Test
  void aSocketForAnotherPortIsNamedAsTheLikelyMistake() throws IOException {
    Files.createDirectories(root.resolve("socket"));
    Files.createFile(root.resolve("socket/.s.PGSQL.5999"));
    Files.createFile(root.resolve("socket/.s.PGSQL.5999.lock"));

    try (HealthChecks checks =
        HealthChecks.direct(settings(Map.of()), DEADLINE, TestChecks.FEATURES)) {
      ProbeResult postgresql = checks.check(List.of("postgresql")).checks().get("postgresql");

      assertThat(postgresql.reason())
          .isEqualTo(
              "no server socket at "
                  + socketFile(PORT)
                  + ", but one for port 5999: does POSTGRESQL_PORT match the running server?");
    }
  }

  @Test
  void onlyTheNamedChecksRunInTheCanonicalOrder() {
    try (HealthChecks checks =
        HealthChecks.direct(settings(Map.of()), DEADLINE, TestChecks.FEATURES)) {
      HealthReport report = checks.check(List.of("process", "disk"));

      assertThat(report.checks().keySet()).containsExactly("disk", "process");
    }
  }

  @Test
  void theLauncherSuppliesOnlyProbesOfItsOwnChecksEachOnce() {
    Probe late =
        new Probe() {
          @Override
          public String name() {
            return TestChecks.LATE.name();
          }

          @Override
          public ProbeResult check() {
            return ProbeResult.of(ProbeStatus.DEGRADED, "not registered: still trying");
          }
        };
    RunState initialising = new RunState();
    try (HealthChecks checks =
        HealthChecks.forRun(
            settings(Map.of()), initialising, DEADLINE, TestChecks.FEATURES, List.of(late))) {
      assertThat(checks.check().checks().keySet())
          .containsExactlyElementsOf(HealthChecks.names(TestChecks.FEATURES));
    }
    assertThatThrownBy(
            () ->
                HealthChecks.forRun(
                    settings(Map.of()),
                    initialising,
                    DEADLINE,
                    TestChecks.FEATURES,
                    List.of(late, late)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(
            () ->
                HealthChecks.forRun(
                    settings(Map.of()),
                    initialising,
                    DEADLINE,
                    TestChecks.FEATURES,
                    List.of(new PidFileProbe(root))))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void outsideRunningThePhaseAnswersForServerChecks() {
    assertThat(HealthChecks.answeredByPhase(Phase.STARTING).status())
        .isEqualTo(ProbeStatus.STARTING);
    assertThat(HealthChecks.answeredByPhase(Phase.SHUTTING_DOWN).reason())
        .isEqualTo("the server is shutting down");
    assertThat(HealthChecks.answeredByPhase(Phase.STOPPED).status()).isEqualTo(ProbeStatus.DOWN);
    assertThat(HealthChecks.answeredByPhase(Phase.SLEEPING).details())
        .containsEntry("phase", "SLEEPING");
  }

  private Settings settings(Map<String, String> overrides) {
    return TestSettings.under(root, PORT, overrides);
  }

  private Path socketFile(int port) {
    return root.resolve("socket/.s.PGSQL." + port);
  }
}
