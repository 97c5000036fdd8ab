package dev.pgcontainer.launchercli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pgcontainer.core.PgcontainerException;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HandedOverFilesTest {

  private static final String PASSWORD = "Pw-LeakCanary-5ecre7";

  private static String line(String fileVariable, String content) {
    return fileVariable
        + " "
        + Base64.getEncoder().encodeToString(content.getBytes(StandardCharsets.UTF_8))
        + "\n";
  }

  @Test
  void aHandedOverFileBecomesTheValueMinusOneTrailingNewline() {
    Map<String, String> env =
        Map.of(
            "POSTGRES_PASSWORD_FILE",
            "/run/secrets/pw",
            "POSTGRES_USER_FILE",
            "/run/u",
            HandedOverFiles.ON_STDIN_VARIABLE,
            "true");

    Map<String, String> applied =
        HandedOverFiles.applied(
            env,
            line("POSTGRES_PASSWORD_FILE", PASSWORD + " ünï\n\n")
                + line("POSTGRES_USER_FILE", "app\r\n")
                + "\n");

    assertThat(applied)
        .containsOnly(
            Map.entry("POSTGRES_PASSWORD", PASSWORD + " ünï\n"), Map.entry("POSTGRES_USER", "app"));
  }

  @Test
  void bothTheVariableAndItsFileStaySoThatValidationReportsThem() {
    Map<String, String> env =
        Map.of("POSTGRES_PASSWORD_FILE", "/run/secrets/pw", "POSTGRES_PASSWORD", "other");

    assertThat(HandedOverFiles.applied(env, line("POSTGRES_PASSWORD_FILE", PASSWORD)))
        .isEqualTo(env);
  }

  @Test
  void onlyWhatTheEnvironmentNamesIsApplied() {
    assertThat(HandedOverFiles.applied(Map.of(), line("POSTGRES_DB_FILE", "shop"))).isEmpty();
  }

  @Test
  void stdinIsReadOnlyWhenTheStartScriptSaysSo() {
    ByteArrayInputStream stdin =
        new ByteArrayInputStream(
            line("POSTGRES_DB_FILE", "shop").getBytes(StandardCharsets.US_ASCII));
    Map<String, String> env = Map.of("POSTGRES_DB_FILE", "/run/db");

    assertThat(HandedOverFiles.fromStdin(env, stdin)).isSameAs(env);
    assertThat(
            HandedOverFiles.fromStdin(
                Map.of("POSTGRES_DB_FILE", "/run/db", HandedOverFiles.ON_STDIN_VARIABLE, "true"),
                stdin))
        .containsOnly(Map.entry("POSTGRES_DB", "shop"));
  }

  @Test
  void anUnexpectedLineFailsWithoutShowingItsValue() {
    assertThatThrownBy(
            () -> HandedOverFiles.applied(Map.of("PGDATA_FILE", "/x"), "PGDATA_FILE " + PASSWORD))
        .isInstanceOf(PgcontainerException.class)
        .hasMessageContaining("PGDATA_FILE")
        .hasMessageNotContaining(PASSWORD);
    assertThatThrownBy(
            () ->
                HandedOverFiles.applied(
                    Map.of("POSTGRES_PASSWORD_FILE", "/x"),
                    "POSTGRES_PASSWORD_FILE " + PASSWORD + "!"))
        .isInstanceOf(PgcontainerException.class)
        .hasMessageNotContaining(PASSWORD);
  }
}
