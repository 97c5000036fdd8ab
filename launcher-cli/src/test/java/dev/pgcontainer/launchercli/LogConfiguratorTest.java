package dev.pgcontainer.launchercli;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.util.LogbackMDCAdapter;
import ch.qos.logback.core.OutputStreamAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pgcontainer.core.Settings;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;

class LogConfiguratorTest {

  private final LoggerContext context = new LoggerContext();
  private final ByteArrayOutputStream output = new ByteArrayOutputStream();

  @Test
  void jsonIsOneObjectPerLineWithTheFormattedMessageLevelAndLogger() throws Exception {
    Logger log =
        configured(Map.of("LOG_FORMAT", "json")).getLogger("dev.pgcontainer.instance.PostgresRun");

    log.info("using PostgreSQL {} in {}", 15, "/opt/postgresql/15/bin");
    log.warn("a \"quoted\" value\nover two lines");

    String[] lines = written().split("\n");
    assertThat(lines).hasSize(2);
    ObjectMapper mapper = new ObjectMapper();
    JsonNode first = mapper.readTree(lines[0]);
    assertThat(first.get("formattedMessage").asText())
        .isEqualTo("using PostgreSQL 15 in /opt/postgresql/15/bin");
    assertThat(first.get("level").asText()).isEqualTo("INFO");
    assertThat(first.get("loggerName").asText()).isEqualTo("dev.pgcontainer.instance.PostgresRun");
    assertThat(first.has("message")).as("the unfilled pattern").isFalse();
    assertThat(first.has("arguments")).isFalse();
    assertThat(mapper.readTree(lines[1]).get("formattedMessage").asText())
        .isEqualTo("a \"quoted\" value\nover two lines");
  }

  @Test
  void textIsTheDefaultFormat() {
    configured(Map.of())
        .getLogger("dev.pgcontainer.instance.PostgresRun")
        .info("started {}", "postgres");

    assertThat(written())
        .endsWith(" INFO  [PostgresRun] started postgres" + System.lineSeparator());
  }

  @Test
  void logLevelDropsLessSevereEventsAnyCase() {
    Logger log = configured(Map.of("LOG_LEVEL", "warn", "LOG_FORMAT", "JSON")).getLogger("x.Y");

    log.debug("debug");
    log.info("info");
    log.warn("warn");
    log.error("error");

    assertThat(written()).doesNotContain("\"debug\"", "\"info\"").contains("\"warn\"", "\"error\"");
    assertThat(written().split("\n")).hasSize(2);
  }

  @Test
  void debugLevelKeepsDebugEvents() {
    configured(Map.of("LOG_LEVEL", "DEBUG")).getLogger("x.Y").debug("details");

    assertThat(written()).contains(" DEBUG [Y] details");
  }

  @Test
  void anInvalidLevelOrFormatFallsBackToInfoAndText() {
    Logger log = configured(Map.of("LOG_LEVEL", "verbose", "LOG_FORMAT", "xml")).getLogger("x.Y");

    log.debug("hidden");
    log.info("shown");

    assertThat(written()).doesNotContain("hidden").contains(" INFO  [Y] shown").doesNotContain("{");
  }

  private LoggerContext configured(Map<String, String> env) {
    context.setMDCAdapter(new LogbackMDCAdapter());
    OutputStreamAppender<ILoggingEvent> appender = new OutputStreamAppender<>();
    appender.setOutputStream(output);
    LogConfigurator.configure(context, Settings.Logging.fromEnvironmentOrDefaults(env), appender);
    return context;
  }

  private String written() {
    return output.toString(StandardCharsets.UTF_8);
  }
}
