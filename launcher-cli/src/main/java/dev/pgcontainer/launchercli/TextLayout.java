package dev.pgcontainer.launchercli;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.CoreConstants;
import ch.qos.logback.core.LayoutBase;
import java.time.LocalDateTime;
import java.time.ZoneOffset;

/**
 * The text log line, {@code 2026-11-25T23:20:37.003Z INFO [PostgresRun] message}, and the stack
 * trace of a throwable after it. Written out rather than as a Logback pattern: parsing a pattern
 * and loading its converters was a tenth of the launcher's start-up. Times are UTC, as the server's
 * own log lines: a time zone other than UTC would load the JDK's zone rules, whose provider lookup
 * scans every jar on the class path (40 ms).
 */
final class TextLayout extends LayoutBase<ILoggingEvent> {

  @Override
  public String doLayout(ILoggingEvent event) {
    StringBuilder line = new StringBuilder(128);
    appendUtcTimestamp(line, event.getTimeStamp());
    line.append(' ').append(event.getLevel().toString());
    line.append("     ", 0, Math.max(0, 5 - event.getLevel().toString().length()));
    line.append(" [")
        .append(simpleName(event.getLoggerName()))
        .append("] ")
        .append(event.getFormattedMessage())
        .append(CoreConstants.LINE_SEPARATOR);
    IThrowableProxy thrown = event.getThrowableProxy();
    if (thrown != null) {
      line.append(ThrowableProxyUtil.asString(thrown)).append(CoreConstants.LINE_SEPARATOR);
    }
    return line.toString();
  }

  /** {@code 2026-11-25T23:20:37.003Z}. */
  private static void appendUtcTimestamp(StringBuilder line, long epochMillis) {
    LocalDateTime time =
        LocalDateTime.ofEpochSecond(
            Math.floorDiv(epochMillis, 1000),
            (int) Math.floorMod(epochMillis, 1000) * 1_000_000,
            ZoneOffset.UTC);
    line.append(time.getYear()).append('-');
    appendTwoDigits(line, time.getMonthValue()).append('-');
    appendTwoDigits(line, time.getDayOfMonth()).append('T');
    appendTwoDigits(line, time.getHour()).append(':');
    appendTwoDigits(line, time.getMinute()).append(':');
    appendTwoDigits(line, time.getSecond()).append('.');
    int millis = time.getNano() / 1_000_000;
    line.append(millis < 100 ? (millis < 10 ? "00" : "0") : "").append(millis).append('Z');
  }

  private static StringBuilder appendTwoDigits(StringBuilder line, int value) {
    return line.append(value < 10 ? "0" : "").append(value);
  }

  /** What {@code %logger{0}} printed: the part after the last dot. */
  private static String simpleName(String loggerName) {
    return loggerName.substring(loggerName.lastIndexOf('.') + 1);
  }
}
