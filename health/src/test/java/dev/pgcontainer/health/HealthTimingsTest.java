package dev.pgcontainer.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HealthTimingsTest {

  private static final Path ROOT = Path.of("/nonexistent/pgc");

  @Test
  void theProbeDeadlineIsAThirtiethOfTimeoutWithinBounds() {
    assertThat(deadlineFor("30")).isEqualTo(Duration.ofSeconds(1));
    assertThat(deadlineFor("60")).isEqualTo(Duration.ofSeconds(2));
    assertThat(deadlineFor("5")).isEqualTo(HealthTimings.MIN_DEADLINE);
    assertThat(deadlineFor("3600")).isEqualTo(HealthTimings.MAX_DEADLINE);
  }

  @Test
  void aReportIsStaleAfterTwoMissedRoundsAndADeadline() {
    HealthTimings timings =
        HealthTimings.builder()
            .probeDeadline(Duration.ofMillis(500))
            .refreshInterval(Duration.ofSeconds(1))
            .build();

    assertThat(timings.staleAfter()).isEqualTo(Duration.ofMillis(2500));
  }

  @Test
  void timingsMustBePositive() {
    assertThatThrownBy(() -> HealthTimings.builder().probeDeadline(Duration.ZERO).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("probeDeadline must be positive, was PT0S");
  }

  private static Duration deadlineFor(String timeout) {
    return HealthTimings.forSettings(TestSettings.under(ROOT, 54329, Map.of("TIMEOUT", timeout)))
        .probeDeadline();
  }
}
