package dev.pgcontainer.citus;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pgcontainer.core.ConfigurationProblem;
import dev.pgcontainer.core.PgInstallation;
import dev.pgcontainer.core.Settings;
import dev.pgcontainer.testsupport.FakeInstallation;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Installations laid out like a relocatable build (bin/, lib/postgresql/, share/postgresql/),
 * without pg_config.
 */
class CitusPreflightTest {

  @TempDir Path prefix;

  @Test
  void aServerWithoutTheExtensionFilesIsAProblemNamingBothFilesAndWhatToDo() throws IOException {
    PgInstallation server = installation(false);

    List<ConfigurationProblem> problems = CitusPreflight.problems(settings(Map.of()), server);

    assertThat(problems)
        .singleElement()
        .satisfies(
            problem -> {
              assertThat(problem.variable()).isEqualTo("CITUS_ENABLE");
              assertThat(problem.message())
                  .contains("the Citus extension is not installed in PostgreSQL 15.20")
                  .contains(prefix.resolve("share/postgresql/extension/citus.control").toString())
                  .contains(prefix.resolve("lib/postgresql/citus.so").toString())
                  .contains("set CITUS_ENABLE=false");
            });
    assertThat(CitusPreflight.isInstalled(server)).isFalse();
  }

  @Test
  void aServerWithTheExtensionPasses() throws IOException {
    PgInstallation server = installation(true);

    assertThat(CitusPreflight.problems(settings(Map.of()), server)).isEmpty();
    assertThat(CitusPreflight.isInstalled(server)).isTrue();
  }

  @Test
  void nodesOthersLogInToNeedThePassword() throws IOException {
    PgInstallation server = installation(true);
    Settings worker =
        TestSettings.of(
            Map.of(
                "HOSTNAME",
                "n",
                "CITUS_ENABLE",
                "true",
                "CITUS_ROLE",
                "worker",
                "CITUS_COORDINATOR_HOST",
                "127.0.0.1",
                "CITUS_NODE_HOST",
                "127.0.0.1",
                "EXTERNAL_ACCESS_ENABLE",
                "false"));

    assertThat(CitusPreflight.problems(worker, server))
        .singleElement()
        .satisfies(
            problem -> {
              assertThat(problem.variable()).isEqualTo("POSTGRES_PASSWORD");
              assertThat(problem.message())
                  .contains("never trust")
                  .contains("the same on every node");
            });
  }

  @Test
  void withoutCitusNothingIsChecked() throws IOException {
    Settings off = TestSettings.of(Map.of("HOSTNAME", "n", "POSTGRES_PASSWORD", "pw"));

    assertThat(CitusPreflight.problems(off, installation(false))).isEmpty();
  }

  private PgInstallation installation(boolean withCitus) throws IOException {
    Path bin = withCitus ? FakeInstallation.under(prefix, "citus") : FakeInstallation.under(prefix);
    return new PgInstallation(bin, 15, "15.20");
  }

  private static Settings settings(Map<String, String> overrides) {
    Map<String, String> env =
        new HashMap<>(Map.of("HOSTNAME", "n", "CITUS_ENABLE", "true", "POSTGRES_PASSWORD", "pw"));
    env.putAll(overrides);
    return TestSettings.of(env);
  }
}
