package dev.pgcontainer.launchercli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.JsonEncoder;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.OutputStreamAppender;
import ch.qos.logback.core.encoder.Encoder;
import ch.qos.logback.core.encoder.LayoutWrappingEncoder;
import ch.qos.logback.core.spi.ContextAwareBase;
import dev.pgcontainer.core.Settings;
import java.nio.charset.StandardCharsets;

/**
 * Configures Logback in code from {@code LOG_LEVEL} and {@code LOG_FORMAT}: no XML to parse keeps
 * start-up short. An invalid level or format falls back to the default here; {@code validate}
 * reports it as a problem.
 */
public final class LogConfigurator extends ContextAwareBase implements Configurator {

  /**
   * System property naming the stream logs go to: {@code stdout} while supervising, {@code stderr}
   * otherwise.
   */
  static final String TARGET_PROPERTY = "pgcontainer.log.target";

  @Override
  public ExecutionStatus configure(LoggerContext context) {
    ConsoleAppender<ILoggingEvent> console = new ConsoleAppender<>();
    console.setTarget(
        "stdout".equals(System.getProperty(TARGET_PROPERTY)) ? "System.out" : "System.err");
    configure(context, Settings.Logging.fromEnvironmentOrDefaults(System.getenv()), console);
    return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
  }

  /**
   * Makes {@code appender}, formatted as {@code logging} says, the root logger's only appender at
   * its level.
   */
  static void configure(
      LoggerContext context,
      Settings.Logging logging,
      OutputStreamAppender<ILoggingEvent> appender) {
    Encoder<ILoggingEvent> encoder =
        logging.format() == Settings.LogFormat.JSON ? json() : text(context);
    encoder.setContext(context);
    encoder.start();

    appender.setContext(context);
    appender.setName("console");
    appender.setEncoder(encoder);
    appender.start();

    ch.qos.logback.classic.Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    root.setLevel(Level.toLevel(logging.level().name()));
    root.detachAndStopAllAppenders();
    root.addAppender(appender);
  }

  /**
   * One JSON object per line with the message as logged (placeholders filled); Logback's defaults
   * would also write the raw pattern with its arguments, a sequence number, nanoseconds, the
   * context's properties and an MDC the launcher never fills.
   */
  private static Encoder<ILoggingEvent> json() {
    JsonEncoder json = new JsonEncoder();
    json.setWithSequenceNumber(false);
    json.setWithNanoseconds(false);
    json.setWithContext(false);
    json.setWithMDC(false);
    json.setWithMessage(false);
    json.setWithArguments(false);
    json.setWithFormattedMessage(true);
    return json;
  }

  private static Encoder<ILoggingEvent> text(LoggerContext context) {
    TextLayout layout = new TextLayout();
    layout.setContext(context);
    layout.start();
    LayoutWrappingEncoder<ILoggingEvent> text = new LayoutWrappingEncoder<>();
    text.setLayout(layout);
    text.setCharset(StandardCharsets.UTF_8);
    return text;
  }
}
