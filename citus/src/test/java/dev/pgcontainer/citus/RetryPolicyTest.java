package dev.pgcontainer.citus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.time.Duration;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class RetryPolicyTest {

  @Test
  void theBudgetIsTenTimesTimeout() {
    assertThat(RetryPolicy.forTimeout(Duration.ofSeconds(30)).budget())
        .isEqualTo(Duration.ofMinutes(5));
    assertThat(RetryPolicy.forTimeout(Duration.ofSeconds(3)).budget())
        .isEqualTo(Duration.ofSeconds(30));
  }

  @Test
  void waitsDoubleFromHalfASecondUpToTenSeconds() {
    RetryPolicy policy = RetryPolicy.forTimeout(Duration.ofSeconds(30));

    assertThat(IntStream.rangeClosed(1, 8).mapToObj(policy::delayAfter).map(Duration::toMillis))
        .containsExactly(500L, 1_000L, 2_000L, 4_000L, 8_000L, 10_000L, 10_000L, 10_000L);
    assertThat(policy.delayAfter(10_000))
        .as("no overflow after many failures")
        .isEqualTo(Duration.ofSeconds(10));
  }

  @Test
  void aWaitFollowsAFailure() {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> RetryPolicy.forTimeout(Duration.ofSeconds(1)).delayAfter(0));
  }
}
