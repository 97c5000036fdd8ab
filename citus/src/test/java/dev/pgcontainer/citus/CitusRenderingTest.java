package dev.pgcontainer.citus;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.pgcontainer.configrender.ConfigRenderer;
import dev.pgcontainer.configrender.RenderInput;
import dev.pgcontainer.configrender.RenderedFile;
import dev.pgcontainer.core.Settings;
import dev.pgcontainer.patroni.PatroniConfig;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** What CITUS_ENABLE=true changes in the rendered files, and only then. */
class CitusRenderingTest {

  private static final ConfigRenderer RENDERER = ConfigRenderer.withDefaultTemplates();
  private static final CitusFeature FEATURE = new CitusFeature();
  private static final String BASE_BLOCK =
      """
      citus.node_conninfo = 'sslmode=prefer'
      wal_level = 'logical'
      """;

  @Test
  void citusComesFirstInSharedPreloadLibrariesWithoutDuplicatesAndInTheUsersOrder() {
    assertThat(CitusConf.sharedPreloadLibraries(Optional.empty())).isEqualTo("citus");
    assertThat(CitusConf.sharedPreloadLibraries(Optional.of(""))).isEqualTo("citus");
    assertThat(CitusConf.sharedPreloadLibraries(Optional.of("pg_stat_statements")))
        .isEqualTo("citus,pg_stat_statements");
    assertThat(
            CitusConf.sharedPreloadLibraries(
                Optional.of(" auto_explain , citus,pg_stat_statements,,auto_explain")))
        .isEqualTo("citus,auto_explain,pg_stat_statements");
    assertThat(CitusConf.sharedPreloadLibraries(Optional.of("citus"))).isEqualTo("citus");
  }

  @Test
  void theBaseSettingsComeBeforeTheUsersFileAndTheLibrariesAfterIt() {
    String main = file(render(Map.of("CITUS_ENABLE", "true")), "pgcontainer.conf");

    int base = main.indexOf(BASE_BLOCK);
    int userFile = main.indexOf("include_if_exists '/cfg/postgresql.conf'");
    int libraries = main.indexOf("\nshared_preload_libraries = 'citus'\n");
    int environment = main.indexOf("include '/cfg/pgcontainer-env.conf'");
    assertThat(base).as("base block in:%n%s", main).isPositive();
    assertThat(userFile).isGreaterThan(base);
    assertThat(libraries).isGreaterThan(userFile);
    assertThat(environment).isGreaterThan(libraries);
    assertThat(main).doesNotContain("max_prepared_transactions =");
  }

  @Test
  void theUsersLibrariesStayInTheEnvironmentFileBehindCitus() {
    List<RenderedFile> files =
        render(
            Map.of(
                "CITUS_ENABLE", "true",
                "POSTGRESQL_SHARED_PRELOAD_LIBRARIES", "pg_stat_statements,citus",
                "POSTGRESQL_CITUS__NODE_CONNINFO", "sslmode=verify-full",
                "POSTGRESQL_MAX_PREPARED_TRANSACTIONS", "300"));

    assertThat(file(files, "pgcontainer.conf"))
        .contains("\nshared_preload_libraries = 'citus,pg_stat_statements'\n");
    // the environment file comes last, so the user's values win over the base block
    assertThat(file(files, "pgcontainer-env.conf"))
        .contains("\nshared_preload_libraries = 'citus,pg_stat_statements'\n")
        .contains("\ncitus.node_conninfo = 'sslmode=verify-full'\n")
        .contains("\nmax_prepared_transactions = '300'\n");
  }

  @Test
  void withoutCitusNothingChanges() {
    List<RenderedFile> files =
        render(Map.of("POSTGRESQL_SHARED_PRELOAD_LIBRARIES", "pg_stat_statements"));

    assertThat(file(files, "pgcontainer.conf"))
        .doesNotContain("citus")
        .doesNotContain("shared_preload_libraries");
    assertThat(file(files, "pgcontainer-env.conf"))
        .contains("\nshared_preload_libraries = 'pg_stat_statements'\n");
  }

  @Test
  void underPatroniTheCitusSectionOfPatroniYmlNamesTheGroupAndTheDatabase() throws Exception {
    JsonNode coordinator =
        patroniYml(
            Map.of("CITUS_ENABLE", "true", "CITUS_ROLE", "coordinator", "CITUS_DATABASE", "shop"));
    JsonNode worker =
        patroniYml(
            Map.of(
                "CITUS_ENABLE",
                "true",
                "CITUS_ROLE",
                "worker",
                "CITUS_GROUP",
                "2",
                "CITUS_COORDINATOR_HOST",
                "coord"));

    assertThat(coordinator.get("citus").get("group").asInt()).isZero();
    assertThat(coordinator.get("citus").get("database").asText()).isEqualTo("shop");
    assertThat(worker.get("citus").get("group").asInt()).isEqualTo(2);
    assertThat(worker.get("citus").get("database").asText())
        .as("CITUS_DATABASE defaults to POSTGRES_DB")
        .isEqualTo("postgres");
    assertThat(patroniYml(Map.of()).has("citus")).isFalse();
  }

  private static JsonNode patroniYml(Map<String, String> overrides) throws Exception {
    Map<String, String> env =
        new HashMap<>(
            Map.of(
                "HOSTNAME",
                "db-0",
                "PATRONI_ENABLE",
                "true",
                "POSTGRES_PASSWORD",
                "s3cret",
                "PATRONI_REPLICATION_PASSWORD",
                "r3pl"));
    env.putAll(overrides);
    return new ObjectMapper(new YAMLFactory())
        .readTree(PatroniConfig.of(RenderInput.of(TestSettings.of(env), "postgres")).toYaml());
  }

  private static List<RenderedFile> render(Map<String, String> overrides) {
    Map<String, String> env =
        new HashMap<>(
            Map.of("HOSTNAME", "db-0", "POSTGRES_PASSWORD", "s3cret", "PGCONFIG", "/cfg"));
    env.putAll(overrides);
    Settings settings = TestSettings.of(env);
    // as the launcher does: only an enabled feature contributes
    List<CitusFeature> enabled = FEATURE.enabled(settings) ? List.of(FEATURE) : List.of();
    return RENDERER.render(RenderInput.of(settings, "postgres").withContributors(enabled));
  }

  private static String file(List<RenderedFile> files, String name) {
    return files.stream()
        .filter(f -> f.path().getFileName().toString().equals(name))
        .findFirst()
        .orElseThrow()
        .content();
  }
}
