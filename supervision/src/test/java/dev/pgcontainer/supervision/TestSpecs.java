package dev.pgcontainer.supervision;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.slf4j.LoggerFactory;

/** Specs and log capture shared by the integration tests. */
final class TestSpecs {

  private TestSpecs() {}

  /** A POSIX shell script with the harmless part of our environment. */
  static ProcessSpec.Builder sh(String name, String script) {
    return ProcessSpec.builder()
        .name(name)
        .command("sh", "-c", script)
        .environment(ProcessSpec.inheritableEnvironment(System.getenv()));
  }

  /** Records what is logged under {@code loggerName}. */
  static ListAppender<ILoggingEvent> capture(String loggerName) {
    ListAppender<ILoggingEvent> appender = new ListAppender<>();
    appender.start();
    ((Logger) LoggerFactory.getLogger(loggerName)).addAppender(appender);
    return appender;
  }
}
