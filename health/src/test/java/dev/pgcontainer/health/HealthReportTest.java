package dev.pgcontainer.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pgcontainer.instance.Phase;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Statuses, result lines and report narrowing: what the healthcheck prints and exits with. */
class HealthReportTest {

  @Test
  void theWorstStatusWinsAndSleepingIsHealthyButNotServing() {
    assertThat(ProbeStatus.worstOf(List.of(ProbeStatus.UP, ProbeStatus.DEGRADED)))
        .isEqualTo(ProbeStatus.DEGRADED);
    assertThat(ProbeStatus.worstOf(List.of(ProbeStatus.SLEEPING, ProbeStatus.UP)))
        .isEqualTo(ProbeStatus.SLEEPING);
    assertThat(ProbeStatus.worstOf(List.of(ProbeStatus.STARTING, ProbeStatus.DOWN)))
        .isEqualTo(ProbeStatus.DOWN);
    assertThat(ProbeStatus.worstOf(List.of())).isEqualTo(ProbeStatus.UP);
    assertThat(ProbeStatus.SLEEPING.isHealthy()).isTrue();
    assertThat(ProbeStatus.SLEEPING.isServing()).isFalse();
    assertThat(ProbeStatus.STARTING.isHealthy()).isFalse();
    assertThat(ProbeStatus.DEGRADED.isServing()).isTrue();
  }

  @Test
  void aResultReadsAsStatusReasonAndMilliseconds() {
    ProbeResult result = ProbeResult.up("primary").withDuration(Duration.ofNanos(1_234_000));

    assertThat(result.describe()).isEqualTo("UP primary, 1.2 ms");
  }

  @Test
  void detailsKeepTheirOrderAndLaterValuesWin() {
    ProbeResult result =
        ProbeResult.down("x").withDetails(Map.of("b", 1)).withDetails(Map.of("a", 2, "b", 3));

    assertThat(result.details()).containsEntry("b", 3).containsEntry("a", 2);
    assertThat(result.details().keySet()).first().isEqualTo("b");
  }

  @Test
  void narrowingToOneCheckTakesItsStatus() {
    Map<String, ProbeResult> checks = new LinkedHashMap<>();
    checks.put("postgresql", ProbeResult.down("no server socket"));
    checks.put("disk", ProbeResult.up("PGDATA 40% free"));
    HealthReport report =
        new HealthReport(Phase.RUNNING, ProbeStatus.DOWN, true, false, Instant.EPOCH, checks);

    HealthReport disk = report.only("disk");

    assertThat(report.lines())
        .containsExactly(
            "postgresql DOWN no server socket, 0.0 ms", "disk UP PGDATA 40% free, 0.0 ms");
    assertThat(disk.status()).isEqualTo(ProbeStatus.UP);
    assertThat(disk.isHealthy()).isTrue();
    assertThat(disk.lines()).containsExactly("disk UP PGDATA 40% free, 0.0 ms");
    assertThatThrownBy(() -> report.only("cpu"))
        .hasMessage("no check named 'cpu'; there are [postgresql, disk]");
  }
}
