package dev.pgcontainer.citus;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pgcontainer.configrender.RenderedFile;
import dev.pgcontainer.core.Secret;
import dev.pgcontainer.core.Settings;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PasswordFileTest {

  @Test
  void oneLineForTheSuperuserInTheCitusDatabaseOnAnyNodeReadableByItsOwnerOnly() {
    Settings settings =
        TestSettings.of(
            Map.of(
                "HOSTNAME",
                "n",
                "PGCONFIG",
                "/cfg",
                "CITUS_ENABLE",
                "true",
                "CITUS_DATABASE",
                "shop",
                "POSTGRES_USER",
                "admin",
                "POSTGRES_PASSWORD",
                "pw"));

    RenderedFile file = PasswordFile.render(settings, Secret.of("pa:ss\\word"));

    assertThat(file.path()).isEqualTo(Path.of("/cfg/citus.pgpass"));
    assertThat(file.content()).isEqualTo("*:*:shop:admin:pa\\:ss\\\\word\n");
    assertThat(file.mode()).isEqualTo(PosixFilePermissions.fromString("rw-------"));
    assertThat(file.toString()).doesNotContain("pa:ss");
  }

  @Test
  void isWrittenWithCitusWithoutPatroniWhenThereIsAPassword() {
    assertThat(PasswordFile.of(settings("CITUS_ENABLE", "true")))
        .hasValueSatisfying(
            file -> assertThat(file.content()).isEqualTo("*:*:postgres:postgres:pw\n"));
    assertThat(PasswordFile.of(settings("CITUS_ENABLE", "false"))).isEmpty();
    assertThat(PasswordFile.of(settings("CITUS_ENABLE", "true", "PATRONI_ENABLE", "true")))
        .isEmpty();
    assertThat(PasswordFile.of(settings("CITUS_ENABLE", "true", "POSTGRES_PASSWORD", null)))
        .isEmpty();
  }

  /**
   * A valid environment with a password, then {@code namesAndValues} (a null value removes the
   * variable).
   */
  private static Settings settings(String... namesAndValues) {
    Map<String, String> env =
        new HashMap<>(
            Map.of(
                "HOSTNAME",
                "n",
                "POSTGRES_PASSWORD",
                "pw",
                "PATRONI_REPLICATION_PASSWORD",
                "r",
                "EXTERNAL_ACCESS_ENABLE",
                "false"));
    for (int i = 0; i < namesAndValues.length; i += 2) {
      if (namesAndValues[i + 1] == null) {
        env.remove(namesAndValues[i]);
      } else {
        env.put(namesAndValues[i], namesAndValues[i + 1]);
      }
    }
    return TestSettings.of(env);
  }
}
