package dev.pgcontainer.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class ServerLogMessageTest {

  @Test
  void splitsRecordedOutputIntoMessagesWithTheirHintsAndDetails() {
    List<ServerLogMessage> messages =
        ServerLogMessage.parse(resource("server-log-bad-values-15.txt"));

    assertThat(messages).hasSize(13);
    assertThat(messages.get(0))
        .isEqualTo(
            new ServerLogMessage(
                "LOG",
                "invalid value for parameter \"work_mem\": \"4XB\"",
                List.of(
                    "Valid units for this parameter are \"B\", \"kB\", \"MB\", \"GB\", and \"TB\".")));
    assertThat(messages.get(7).explanations()).containsExactly("Unrecognized key word: \"foo\".");
    assertThat(messages.get(12).severity()).isEqualTo("FATAL");
  }

  @Test
  void keepsALineBreakInsideAValueWithoutTheServersIndentation() {
    ServerLogMessage message =
        ServerLogMessage.parse(resource("server-log-bad-values-15.txt")).get(9);

    assertThat(message.text())
        .isEqualTo("invalid value for parameter \"log_min_messages\": \"a\nb\"");
    assertThat(message.explanations())
        .singleElement()
        .asString()
        .startsWith("Available values: debug5");
  }

  @Test
  void findsTheParameterAsTheServerSpellsIt() {
    List<ServerLogMessage> messages =
        ServerLogMessage.parse(resource("server-log-bad-values-15.txt"));

    assertThat(
            messages.stream()
                .map(ServerLogMessage::parameterName)
                .flatMap(java.util.Optional::stream))
        .containsExactly(
            "work_mem",
            "wal_level",
            "enable_seqscan",
            "max_connections",
            "random_page_cost",
            "statement_timeout",
            "maintenance_work_mem",
            "DateStyle",
            "search_path",
            "log_min_messages",
            "temp_buffers",
            "archive_mode");
  }

  @Test
  void findsTheFileLineOfUnknownNames() {
    List<ServerLogMessage> messages =
        ServerLogMessage.parse(resource("server-log-unknown-names-15.txt"));

    assertThat(messages)
        .extracting(ServerLogMessage::fileLine)
        .containsExactly(
            OptionalInt.of(1), OptionalInt.of(2), OptionalInt.of(4), OptionalInt.empty());
    assertThat(messages.get(0).parameterName()).contains("shared_buffer");
  }

  @Test
  void dropsContextLinesAndTextBeforeTheFirstMessage() {
    List<ServerLogMessage> messages =
        ServerLogMessage.parse(
            "16384\nLOG:  first\nCONTEXT:  while reading\n\tmore context\nHINT:  a hint\n");

    assertThat(messages).containsExactly(new ServerLogMessage("LOG", "first", List.of("a hint")));
  }

  @Test
  void joinsTextAndExplanationsAsSentences() {
    ServerLogMessage message =
        new ServerLogMessage(
            "LOG",
            "invalid value for parameter \"wal_level\": \"bogus\"",
            List.of("Available values: minimal, replica, logical."));

    assertThat(message.sentences())
        .isEqualTo(
            "invalid value for parameter \"wal_level\": \"bogus\". Available values: minimal, replica, logical.");
  }

  static String resource(String name) {
    try (InputStream in = ServerLogMessageTest.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException("missing test resource " + name);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
