package dev.pgcontainer.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.pgcontainer.core.ConfigurationException;
import dev.pgcontainer.core.ConfigurationProblem;
import dev.pgcontainer.core.PgInstallation;
import dev.pgcontainer.testsupport.FakeInstallation;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The launcher's own rules and Citus's needs of the server are reported in one list with every
 * other problem.
 */
class SettingsSourceTest {

  @TempDir Path prefix;

  private static Map<String, String> env(String... namesAndValues) {
    Map<String, String> env = new HashMap<>(Map.of("HOSTNAME", "n", "POSTGRES_PASSWORD", "pw"));
    for (int i = 0; i < namesAndValues.length; i += 2) {
      env.put(namesAndValues[i], namesAndValues[i + 1]);
    }
    return env;
  }

  private static List<ConfigurationProblem> problems(Runnable load) {
    ConfigurationException failure = catchThrowableOfType(ConfigurationException.class, load::run);
    assertThat(failure).as("a configuration error").isNotNull();
    return failure.problems();
  }

  @Test
  void restoreUnderPatroniIsReportedWithTheOtherProblems() {
    Map<String, String> env =
        env(
            "PATRONI_ENABLE",
            "true",
            "PATRONI_REPLICATION_PASSWORD",
            "r",
            "BACKUP_ENABLED",
            "true",
            "RESTORE_FROM_BACKUP",
            "true",
            "LOG_LEVEL",
            "LOUD");

    assertThat(problems(() -> SettingsSource.offline(env)))
        .extracting(ConfigurationProblem::variable)
        .containsExactlyInAnyOrder("RESTORE_FROM_BACKUP", "LOG_LEVEL");
  }

  @Test
  void citusMissingFromTheServerIsReportedWithTheOtherProblems() throws IOException {
    Map<String, String> env = env("CITUS_ENABLE", "true", "TIMEOUT", "0");
    Optional<PgInstallation> withoutCitus = Optional.of(installation(false));

    assertThat(problems(() -> SettingsSource.withServerCatalogue(env, withoutCitus)))
        .extracting(ConfigurationProblem::variable)
        .containsExactlyInAnyOrder("CITUS_ENABLE", "TIMEOUT");
  }

  @Test
  void passwordGivenTwiceIsNotAlsoReportedAsMissingByCitus() throws IOException {
    Path secret = Files.writeString(prefix.resolve("secret"), "from-file");
    Map<String, String> env =
        env(
            "CITUS_ENABLE",
            "true",
            "CITUS_ROLE",
            "coordinator",
            "POSTGRES_PASSWORD_FILE",
            secret.toString());
    Optional<PgInstallation> withCitus = Optional.of(installation(true));

    assertThat(problems(() -> SettingsSource.withServerCatalogue(env, withCitus)))
        .singleElement()
        .satisfies(problem -> assertThat(problem.message()).contains("are set: keep only one"));
  }

  /**
   * A relocatable layout (bin/, lib/postgresql/, share/postgresql/) without pg_config: nothing is
   * run.
   */
  private PgInstallation installation(boolean withCitus) throws IOException {
    Path bin = withCitus ? FakeInstallation.under(prefix, "citus") : FakeInstallation.under(prefix);
    return new PgInstallation(bin, 15, "15.20");
  }
}
