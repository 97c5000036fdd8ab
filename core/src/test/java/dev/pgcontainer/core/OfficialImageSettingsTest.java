package dev.pgcontainer.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.pgcontainer.core.Settings.AuthMethod;
import dev.pgcontainer.core.Settings.ServerSetting;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The official postgres image's variables and command line, as Settings reads them. */
class OfficialImageSettingsTest {

  private static final String PASSWORD = "Pw-LeakCanary-0ff1c1a1";

  private static Map<String, String> env(String... namesAndValues) {
    Map<String, String> env = new HashMap<>();
    for (int i = 0; i < namesAndValues.length; i += 2) {
      env.put(namesAndValues[i], namesAndValues[i + 1]);
    }
    return env;
  }

  private static Settings load(Map<String, String> env, ServerSetting... commandLine) {
    return Settings.fromEnvironment(
        env, "host", ServerSettingsValidator.offline(), List.of(), List.of(), List.of(commandLine));
  }

  private static List<ConfigurationProblem> problems(
      Map<String, String> env, ServerSetting... commandLine) {
    ConfigurationException failure =
        catchThrowableOfType(ConfigurationException.class, () -> load(env, commandLine));
    assertThat(failure).as("a configuration error").isNotNull();
    return failure.problems();
  }

  @Test
  void hostAuthMethodTrustNeedsNoPasswordAndWarnsLoudly() {
    Settings settings = load(env("POSTGRES_HOST_AUTH_METHOD", "trust"));

    assertThat(settings.externalAccess().method()).isEqualTo(AuthMethod.TRUST);
    assertThat(settings.warnings())
        .anySatisfy(
            warning ->
                assertThat(warning)
                    .contains("WARNING: POSTGRES_HOST_AUTH_METHOD has been set to \"trust\""));
  }

  @Test
  void hostAuthMethodSetsThePasswordMethodOfExternalClients() {
    assertThat(
            load(env("POSTGRES_PASSWORD", PASSWORD, "POSTGRES_HOST_AUTH_METHOD", "md5"))
                .externalAccess()
                .method())
        .isEqualTo(AuthMethod.MD5);
    assertThat(load(env("POSTGRES_PASSWORD", PASSWORD)).warnings())
        .noneMatch(w -> w.contains("trust"));
  }

  @Test
  void withoutTrustAPasswordIsStillRequired() {
    assertThat(problems(env("POSTGRES_HOST_AUTH_METHOD", "scram-sha-256")))
        .singleElement()
        .satisfies(
            problem -> {
              assertThat(problem.variable()).isEqualTo("POSTGRES_PASSWORD");
              assertThat(problem.message()).contains("POSTGRES_HOST_AUTH_METHOD=trust");
            });
  }

  @Test
  void bothMethodVariablesMustAgree() {
    assertThat(
            load(env(
                    "POSTGRES_PASSWORD",
                    PASSWORD,
                    "POSTGRES_HOST_AUTH_METHOD",
                    "md5",
                    "EXTERNAL_ACCESS_METHOD",
                    "MD5"))
                .externalAccess()
                .method())
        .isEqualTo(AuthMethod.MD5);
    assertThat(
            problems(
                env(
                    "POSTGRES_PASSWORD",
                    PASSWORD,
                    "POSTGRES_HOST_AUTH_METHOD",
                    "trust",
                    "EXTERNAL_ACCESS_METHOD",
                    "md5")))
        .singleElement()
        .satisfies(
            problem -> {
              assertThat(problem.variable()).isEqualTo("POSTGRES_HOST_AUTH_METHOD");
              assertThat(problem.message()).contains("EXTERNAL_ACCESS_METHOD=md5");
            });
  }

  @Test
  void trustIsNotOneOfOurOwnVariablesMethods() {
    assertThat(problems(env("POSTGRES_PASSWORD", PASSWORD, "EXTERNAL_ACCESS_METHOD", "trust")))
        .singleElement()
        .satisfies(
            problem ->
                assertThat(problem.message())
                    .startsWith("must be one of md5, password, scram-sha-256"));
  }

  @Test
  void unknownHostAuthMethodIsNamed() {
    assertThat(problems(env("POSTGRES_PASSWORD", PASSWORD, "POSTGRES_HOST_AUTH_METHOD", "peer")))
        .singleElement()
        .satisfies(
            problem -> assertThat(problem.variable()).isEqualTo("POSTGRES_HOST_AUTH_METHOD"));
  }

  @Test
  void initdbWalDirectoryBecomesInitdbsWaldirAfterTheUsersArguments() {
    Settings settings =
        load(
            env(
                "POSTGRES_PASSWORD",
                PASSWORD,
                "POSTGRES_INITDB_ARGS",
                "--data-checksums",
                "POSTGRES_INITDB_WALDIR",
                "/var/lib/postgresql/wal/"));

    assertThat(settings.superuser().initdbArguments())
        .containsExactly("--data-checksums", "--waldir=/var/lib/postgresql/wal");
    assertThat(problems(env("POSTGRES_PASSWORD", PASSWORD, "POSTGRES_INITDB_WALDIR", "wal")))
        .singleElement()
        .satisfies(problem -> assertThat(problem.variable()).isEqualTo("POSTGRES_INITDB_WALDIR"));
  }

  @Test
  void commandLineSettingsComeAfterTheEnvironmentsSoTheyWin() {
    Settings settings =
        load(
            env("POSTGRES_PASSWORD", PASSWORD, "POSTGRESQL_MAX_CONNECTIONS", "200"),
            new ServerSetting("-c max_connections", "max_connections", "42"));

    assertThat(settings.serverSetting("max_connections")).contains("42");
    assertThat(settings.serverSettings())
        .extracting(ServerSetting::variable)
        .containsExactly("POSTGRESQL_MAX_CONNECTIONS", "-c max_connections");
  }

  @Test
  void commandLineCannotSetWhatTheLauncherOwnsAndEveryProblemIsNamedAfterItsOption() {
    assertThat(
            problems(
                env("POSTGRES_PASSWORD", PASSWORD),
                new ServerSetting("-D (data_directory)", "data_directory", "/elsewhere"),
                new ServerSetting("-c port", "port", "fifty")))
        .extracting(ConfigurationProblem::variable)
        .containsExactly("-D (data_directory)", "-c port");
  }
}
