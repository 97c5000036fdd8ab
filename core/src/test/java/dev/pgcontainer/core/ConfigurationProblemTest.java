package dev.pgcontainer.core;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ConfigurationProblemTest {

  @Test
  void isOneLineWithTheVariableTheValueAndTheMessage() {
    assertThat(
            ConfigurationProblem.of("LOG_LEVEL", "LOUD", "must be one of DEBUG, INFO, WARN, ERROR"))
        .hasToString("LOG_LEVEL='LOUD': must be one of DEBUG, INFO, WARN, ERROR");
  }

  @Test
  void aLineBreakInTheValueIsShownEscapedSoTheProblemStaysOneLine() {
    ConfigurationProblem problem =
        ConfigurationProblem.of(
            "POSTGRES_USER",
            "admin\nhost all all 0.0.0.0/0 trust\r",
            "must not contain a line break");

    assertThat(problem)
        .hasToString(
            "POSTGRES_USER='admin\\nhost all all 0.0.0.0/0 trust\\r': must not contain a line break");
    assertThat(problem.value()).contains("admin\nhost all all 0.0.0.0/0 trust\r");
  }

  @Test
  void aMissingValueShowsTheVariableAndTheMessageOnly() {
    assertThat(
            ConfigurationProblem.missing(
                "CITUS_GROUP", "a worker under Patroni needs its group number"))
        .hasToString("CITUS_GROUP: a worker under Patroni needs its group number");
  }

  @Test
  void aLongValueIsCutToItsFirst80CharactersWithItsLengthAlsoWhereTheMessageRepeatsIt() {
    String value = "x".repeat(1_000_000);

    String shown =
        ConfigurationProblem.of("POSTGRESQL_WORK_MEM", value, "invalid value \"" + value + "\"")
            .toString();

    String cut = "x".repeat(80) + "... (1000000 characters)";
    assertThat(shown).isEqualTo("POSTGRESQL_WORK_MEM='" + cut + "': invalid value \"" + cut + "\"");
  }

  @Test
  void otherControlCharactersAreShownEscapedToo() {
    assertThat(ConfigurationProblem.of("POSTGRESQL_WORK_MEM", "4MB\u001b[2J\t\u007f", "no"))
        .hasToString("POSTGRESQL_WORK_MEM='4MB\\x1b[2J\\t\\x7f': no");
  }
}
