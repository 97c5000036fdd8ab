package dev.pgcontainer.launchercli;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LoggingEvent;
import org.junit.jupiter.api.Test;

class TextLayoutTest {

  private final LoggerContext context = new LoggerContext();
  private final TextLayout layout = new TextLayout();

  @Test
  void aLineHasTheTimestampThePaddedLevelTheLoggersSimpleNameAndTheMessage() {
    String line = layout.doLayout(event(Level.INFO, "started {} (pid {})", null, "postgres", 42));

    assertThat(line).matches(
        "\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{3}(Z|[+-]\\d{2}:\\d{2}) INFO  \\[PostgresRun\\] "
            + "started postgres \\(pid 42\\)" + System.lineSeparator());
  }

  @Test
  void aThrowableFollowsItsLineWithItsStackTrace() {
    String text = layout.doLayout(event(Level.ERROR, "failed", new IllegalStateException("boom")));

    assertThat(text).contains(" ERROR [PostgresRun] failed" + System.lineSeparator()
        + "java.lang.IllegalStateException: boom");
    assertThat(text).contains("at dev.pgcontainer.launchercli.TextLayoutTest");
  }

  private LoggingEvent event(Level level, String message, Throwable thrown, Object... arguments) {
    Logger logger = context.getLogger("dev.pgcontainer.process.PostgresRun");
    return new LoggingEvent(Logger.class.getName(), logger, level, message, thrown, arguments);
  }
}
