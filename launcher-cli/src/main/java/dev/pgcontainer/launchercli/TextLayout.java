package dev.pgcontainer.launchercli;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.CoreConstants;
import ch.qos.logback.core.LayoutBase;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;

/**
 * The text log line, {@code 2026-11-25T23:20:37.003Z INFO  [PostgresRun] message}, and the stack trace of a throwable
 * after it. Written out rather than as a Logback pattern: parsing a pattern and loading its converters was a tenth of
 * the launcher's start-up.
 */
final class TextLayout extends LayoutBase<ILoggingEvent> {

  private static final DateTimeFormatter TIMESTAMP = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSXXX");
  private static final ZoneId ZONE = ZoneId.systemDefault();

  @Override
  public String doLayout(ILoggingEvent event) {
    StringBuilder line = new StringBuilder(128);
    TIMESTAMP.formatTo(OffsetDateTime.ofInstant(Instant.ofEpochMilli(event.getTimeStamp()), ZONE), line);
    line.append(' ').append(event.getLevel().toString());
    line.append("     ", 0, Math.max(0, 5 - event.getLevel().toString().length()));
    line.append(" [").append(simpleName(event.getLoggerName())).append("] ")
        .append(event.getFormattedMessage()).append(CoreConstants.LINE_SEPARATOR);
    IThrowableProxy thrown = event.getThrowableProxy();
    if (thrown != null) {
      line.append(ThrowableProxyUtil.asString(thrown)).append(CoreConstants.LINE_SEPARATOR);
    }
    return line.toString();
  }

  /** What {@code %logger{0}} printed: the part after the last dot. */
  private static String simpleName(String loggerName) {
    return loggerName.substring(loggerName.lastIndexOf('.') + 1);
  }
}
