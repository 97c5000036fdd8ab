package dev.pgcontainer.launchercli;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LoggingEvent;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class TextLayoutTest {

  private final LoggerContext context = new LoggerContext();
  private final TextLayout layout = new TextLayout();

  @Test
  void aLineHasTheTimestampThePaddedLevelTheLoggersSimpleNameAndTheMessage() {
    LoggingEvent event = event(Level.INFO, "started {} (pid {})", null, "postgres", 42);
    event.setTimeStamp(Instant.parse("2026-01-02T03:04:05.006Z").toEpochMilli());

    assertThat(layout.doLayout(event))
        .isEqualTo(
            "2026-01-02T03:04:05.006Z INFO  [PostgresRun] started postgres (pid 42)"
                + System.lineSeparator());
  }

  @Test
  void theTimestampIsUtcWithMillisecondsPadded() {
    LoggingEvent event = event(Level.WARN, "m", null);
    event.setTimeStamp(Instant.parse("2026-11-25T23:59:59.070Z").toEpochMilli());

    assertThat(layout.doLayout(event)).startsWith("2026-11-25T23:59:59.070Z WARN  [PostgresRun] m");
  }

  @Test
  void aThrowableFollowsItsLineWithItsStackTrace() {
    String text = layout.doLayout(event(Level.ERROR, "failed", new IllegalStateException("boom")));

    assertThat(text)
        .contains(
            " ERROR [PostgresRun] failed"
                + System.lineSeparator()
                + "java.lang.IllegalStateException: boom");
    assertThat(text).contains("at dev.pgcontainer.launchercli.TextLayoutTest");
  }

  private LoggingEvent event(Level level, String message, Throwable thrown, Object... arguments) {
    Logger logger = context.getLogger("dev.pgcontainer.instance.PostgresRun");
    return new LoggingEvent(Logger.class.getName(), logger, level, message, thrown, arguments);
  }
}
