package dev.pgcontainer.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PostgresqlConfTest {

  @Test
  void quotesPlainValues() {
    assertThat(PostgresqlConf.quote("512MB")).isEqualTo("'512MB'");
    assertThat(PostgresqlConf.quote("")).isEqualTo("''");
  }

  @Test
  void escapesWhatTheFileReaderWouldOtherwiseInterpret() {
    assertThat(PostgresqlConf.quote("it's")).isEqualTo("'it''s'");
    assertThat(PostgresqlConf.quote("C:\\temp\\101")).isEqualTo("'C:\\\\temp\\\\101'");
    assertThat(PostgresqlConf.quote("cp %p\r\n/x")).isEqualTo("'cp %p\\r\\n/x'");
    assertThat(PostgresqlConf.quote("\"$user\", public\t")).isEqualTo("'\"$user\", public\\t'");
  }

  @Test
  void refusesNul() {
    assertThatThrownBy(() -> PostgresqlConf.quote("a\0b"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "shared_buffers",
        "pg_stat_statements.max",
        "citus.node_conninfo",
        "_x.y",
        "DateStyle",
        "a1"
      })
  void acceptsNamesTheFileReaderAccepts(String name) {
    assertThat(PostgresqlConf.nameProblem(name)).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"a..b", "a.b.c", "x.9y", "9abc", "", ".x", "x.", "foo-bar", "x.y$", "a b"})
  void refusesNamesThatWouldBeAFileSyntaxError(String name) {
    assertThat(PostgresqlConf.nameProblem(name))
        .hasValueSatisfying(
            problem ->
                assertThat(problem)
                    .contains("'" + name + "' is not a parameter name")
                    .contains("at most one dot"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"include", "include_dir", "include_if_exists", "INCLUDE"})
  void refusesDirectivesThatWouldReadOtherFiles(String name) {
    assertThat(PostgresqlConf.nameProblem(name))
        .hasValueSatisfying(problem -> assertThat(problem).contains("directive"));
  }

  @Test
  void linesJoinNameAndQuotedValue() {
    assertThat(PostgresqlConf.line("wal_level", "replica")).isEqualTo("wal_level = 'replica'");
    assertThatThrownBy(() -> PostgresqlConf.line("include", "/etc/passwd"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("directive");
  }
}
