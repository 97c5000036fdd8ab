package dev.pgcontainer.backup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.ZonedDateTime;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class CronScheduleTest {

  private static final ZonedDateTime WEDNESDAY_NOON =
      ZonedDateTime.parse("2026-01-28T12:00:30+01:00[Europe/Paris]");

  @ParameterizedTest
  @ValueSource(
      strings = {
        "* * * * *",
        "0 2 * * 0",
        "0 2 * * 7",
        "*/15 0-6 1,15 * 1-5",
        "30 4 * jan,jul mon"
      })
  void acceptsUnixExpressions(String expression) {
    assertThat(CronSchedule.problem(expression)).isEmpty();
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "61 2 * * 0 | 61",
        "0 25 * * * | 25",
        "0 2 32 * * | 32",
        "0 2 * 13 * | 13",
        "0 2 * * 8 | 8",
        "0 2 * * sunday | SUNDAY",
        "a b c d e | a"
      })
  void rejectsWhatCronWouldNotRunSayingWhatIsAccepted(String expression, String culprit) {
    assertThat(CronSchedule.problem(expression))
        .hasValueSatisfying(
            problem ->
                assertThat(problem)
                    .startsWith("must be a cron expression of 5 fields: minute (0-59) hour (0-23)")
                    .contains("e.g. '0 2 * * 0'")
                    .contains(culprit));
  }

  @Test
  void parseFailsWithTheSameMessage() {
    assertThatThrownBy(() -> CronSchedule.parse("0 25 * * *"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(CronSchedule.problem("0 25 * * *").orElseThrow());
  }

  @Test
  void nextAndLastAreInTheZoneAskedAbout() {
    CronSchedule sundaysAtTwo = CronSchedule.parse("0 2 * * 0");

    assertThat(sundaysAtTwo.nextAfter(WEDNESDAY_NOON))
        .contains(ZonedDateTime.parse("2026-02-01T02:00+01:00[Europe/Paris]"));
    assertThat(sundaysAtTwo.lastBefore(WEDNESDAY_NOON))
        .contains(ZonedDateTime.parse("2026-01-25T02:00+01:00[Europe/Paris]"));
  }

  @Test
  void everyMinuteIsDueAtTheNextWholeMinute() {
    assertThat(CronSchedule.parse("* * * * *").nextAfter(WEDNESDAY_NOON))
        .contains(ZonedDateTime.parse("2026-01-28T12:01+01:00[Europe/Paris]"));
  }
}
