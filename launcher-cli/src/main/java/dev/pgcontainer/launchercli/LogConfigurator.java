package dev.pgcontainer.launchercli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.JsonEncoder;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.encoder.Encoder;
import ch.qos.logback.core.encoder.LayoutWrappingEncoder;
import ch.qos.logback.core.spi.ContextAwareBase;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * Configures Logback in code from {@code LOG_LEVEL} and {@code LOG_FORMAT}: no XML to parse keeps start-up short.
 * An invalid level or format falls back to the default here; {@code validate} reports it as a problem.
 */
public final class LogConfigurator extends ContextAwareBase implements Configurator {

  /** System property naming the stream logs go to: {@code stdout} while supervising, {@code stderr} otherwise. */
  static final String TARGET_PROPERTY = "pgcontainer.log.target";

  @Override
  public ExecutionStatus configure(LoggerContext context) {
    String format = System.getenv().getOrDefault("LOG_FORMAT", "text").trim().toLowerCase(Locale.ROOT);
    Encoder<ILoggingEvent> encoder;
    if (format.equals("json")) {
      JsonEncoder json = new JsonEncoder();
      json.setWithSequenceNumber(false);
      json.setWithNanoseconds(false);
      json.setWithContext(false);
      encoder = json;
    } else {
      TextLayout layout = new TextLayout();
      layout.setContext(context);
      layout.start();
      LayoutWrappingEncoder<ILoggingEvent> text = new LayoutWrappingEncoder<>();
      text.setLayout(layout);
      text.setCharset(StandardCharsets.UTF_8);
      encoder = text;
    }
    encoder.setContext(context);
    encoder.start();

    ConsoleAppender<ILoggingEvent> console = new ConsoleAppender<>();
    console.setContext(context);
    console.setName("console");
    console.setTarget("stdout".equals(System.getProperty(TARGET_PROPERTY)) ? "System.out" : "System.err");
    console.setEncoder(encoder);
    console.start();

    ch.qos.logback.classic.Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    root.setLevel(Level.toLevel(System.getenv().getOrDefault("LOG_LEVEL", "INFO").trim(), Level.INFO));
    root.addAppender(console);
    return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
  }
}
