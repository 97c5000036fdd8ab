package dev.pgcontainer.configrender;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pgcontainer.configrender.HbaTokenizerReference.Token;
import dev.pgcontainer.core.PostgresqlConf;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class QuotingTest {

  private static final long SEED = 20_240_601L;

  @Test
  void postgresqlConfStringEscapesExactlyTheCharactersTheLexerTreatsSpecially() {
    assertThat(PostgresqlConf.quote("")).isEqualTo("''");
    assertThat(PostgresqlConf.quote("512MB")).isEqualTo("'512MB'");
    assertThat(PostgresqlConf.quote("it's")).isEqualTo("'it''s'");
    assertThat(PostgresqlConf.quote("a\\b")).isEqualTo("'a\\\\b'");
    assertThat(PostgresqlConf.quote("a\nb\rc\td")).isEqualTo("'a\\nb\\rc\\td'");
    assertThat(PostgresqlConf.quote("\b\f\u001b\u007f")).isEqualTo("'\\010\\014\\033\\177'");
    assertThat(PostgresqlConf.quote("\u00015"))
        .as("three digits, so the 5 stays a 5")
        .isEqualTo("'\\0015'");
    assertThat(PostgresqlConf.quote("# = \" , %")).isEqualTo("'# = \" , %'");
    assertThat(PostgresqlConf.quote("café 😀 e\u0301")).isEqualTo("'café 😀 e\u0301'");
  }

  @Test
  void postgresqlConfStringRefusesNul() {
    assertThatThrownBy(() -> PostgresqlConf.quote("a\0b"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("NUL");
  }

  @Test
  void everyValueRoundTripsThroughPostgresqlConfQuoting() {
    for (String value : TrickyValues.all(SEED, 20_000)) {
      String quoted = PostgresqlConf.quote(value);
      assertThat(quoted).as("quoted %s", quoted).doesNotContain("\n").doesNotContain("\r");
      assertThat(PostgresqlConfReference.unquote(quoted))
          .as("round trip of %s", quoted)
          .isEqualTo(value);
    }
  }

  @Test
  void referenceUnquoterRejectsWhatTheLexerRejects() {
    // Guards the reference itself: a reference that accepted anything would make the round trip
    // prove nothing.
    assertThatThrownBy(() -> PostgresqlConfReference.unquote("'a\nb'"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> PostgresqlConfReference.unquote("'it's'"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> PostgresqlConfReference.unquote("'a\\'"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(PostgresqlConfReference.unquote("'\\x\\101\\0015'")).isEqualTo("xA\u00015");
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "replicator|replicator",
        "app_user-1.x$|app_user-1.x$",
        "Admin|Admin",
        "all|\"all\"",
        "ALL|\"ALL\"",
        "replication|\"replication\"",
        "samerole|\"samerole\"",
        "+group|\"+group\"",
        "@file|\"@file\"",
        "/regex|\"/regex\"",
        "two words|\"two words\"",
        "a,b|\"a,b\"",
        "a#b|\"a#b\"",
        "say \"hi\"|\"say \"\"hi\"\"\"",
        "back\\slash|\"back\\slash\"",
        "ünï|\"ünï\""
      })
  void hbaTokenQuotesOnlyWhenNeeded(String name, String expected) {
    assertThat(Quoting.hbaToken(name)).isEqualTo(expected);
  }

  @Test
  void hbaTokenRefusesLineBreaks() {
    assertThatThrownBy(() -> Quoting.hbaToken("a\nb")).hasMessageContaining("line break");
    assertThatThrownBy(() -> Quoting.hbaToken("a\rb")).hasMessageContaining("line break");
  }

  @Test
  void everyNameIsReadBackAsOnePlainNameToken() {
    List<String> keywords = List.of("all", "sameuser", "samerole", "samegroup", "replication");
    for (String name : TrickyValues.all(SEED, 20_000)) {
      if (name.isEmpty() || name.contains("\n") || name.contains("\r")) {
        continue;
      }
      String line = "host replication " + Quoting.hbaToken(name) + " 0.0.0.0/0 md5";
      List<Token> tokens = HbaTokenizerReference.tokenize(line);
      assertThat(tokens).as("tokens of %s", line).hasSize(5);
      assertThat(tokens.get(2).text()).as("name in %s", line).isEqualTo(name);
      boolean needsProtection =
          keywords.contains(name.toLowerCase(Locale.ROOT))
              || name.startsWith("+")
              || name.startsWith("@");
      if (needsProtection) {
        assertThat(tokens.get(2).quoted()).as("quoted %s", line).isTrue();
      }
    }
  }

  @Test
  void referenceTokenizerSplitsWhereTheServerSplits() {
    assertThat(HbaTokenizerReference.tokenize("host  all\ta,b # comment"))
        .containsExactly(
            new Token("host", false),
            new Token("all", false),
            new Token("a", false),
            new Token("b", false));
    assertThat(HbaTokenizerReference.tokenize("\"all\" \"a \"\"b\"\" #c\",x"))
        .containsExactly(
            new Token("all", true), new Token("a \"b\" #c", true), new Token("x", false));
  }

  @Test
  void directoryListEntryQuotesOnlyAnEntryHoldingTheSeparator() {
    assertThat(Quoting.directoryListEntry("/var/run/postgresql")).isEqualTo("/var/run/postgresql");
    assertThat(Quoting.directoryListEntry("/run/a dir")).isEqualTo("/run/a dir");
    assertThat(Quoting.directoryListEntry("/run/a,b")).isEqualTo("\"/run/a,b\"");
    assertThat(Quoting.directoryListEntry("/run/\"x\",y")).isEqualTo("\"/run/\"\"x\"\",y\"");
  }
}
