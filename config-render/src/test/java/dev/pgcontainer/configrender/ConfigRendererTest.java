package dev.pgcontainer.configrender;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pgcontainer.core.ConfigurationException;
import dev.pgcontainer.core.ConfigurationProblem;
import dev.pgcontainer.core.Settings;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConfigRendererTest {

  private static final ConfigRenderer DEFAULT = ConfigRenderer.withDefaultTemplates();

  @Test
  void rendersTheFourLauncherFilesAtTheLayoutsPathsAndNeverTheUsersPostgresqlConf() {
    Settings settings = settings(Map.of("PGCONFIG", "/etc/pg"));
    ConfigLayout layout = ConfigLayout.of(settings);

    List<RenderedFile> files = DEFAULT.render(RenderInput.of(settings, "postgres"));

    assertThat(files)
        .extracting(RenderedFile::path)
        .containsExactly(
            layout.mainConfigFile(),
            layout.environmentConfigFile(),
            layout.hbaFile(),
            layout.identFile())
        .doesNotContain(layout.userConfigFile())
        .allSatisfy(path -> assertThat(path.getParent()).isEqualTo(Path.of("/etc/pg")));
    assertThat(files)
        .allSatisfy(
            f -> assertThat(f.mode()).isEqualTo(PosixFilePermissions.fromString("rw-r--r--")));
    assertThat(layout.userConfigFile()).isEqualTo(Path.of("/etc/pg/postgresql.conf"));
  }

  @Test
  void mapsTheServersOsUserToTheSuperuser() {
    List<RenderedFile> files =
        DEFAULT.render(RenderInput.of(settings(Map.of("POSTGRES_USER", "app")), "pgsrv"));

    assertThat(contentOf(files, "pg_ident.conf")).contains("\npgcontainer  pgsrv  app\n");
  }

  @Test
  void valuesAreWrittenRawNotHtmlEscaped() {
    Settings settings = settings(Map.of("POSTGRESQL_APPLICATION_NAME", "<a & \"b\">"));

    String env =
        contentOf(DEFAULT.render(RenderInput.of(settings, "postgres")), "pgcontainer-env.conf");

    assertThat(env).contains("\napplication_name = '<a & \"b\">'\n");
  }

  @Test
  void everyNameAndValueTheFilesCannotHoldIsReportedAtOnceByVariable() {
    Map<String, String> env = new HashMap<>();
    env.put("POSTGRESQL_A__B__C", "1");
    env.put("POSTGRESQL_FOO__1BAR", "2");
    env.put("POSTGRESQL_INCLUDE", "/etc/passwd");
    Settings settings = settings(env);

    assertThatThrownBy(() -> DEFAULT.render(RenderInput.of(settings, "postgres")))
        .isInstanceOfSatisfying(
            ConfigurationException.class,
            e ->
                assertThat(e.problems())
                    .extracting(ConfigurationProblem::variable)
                    .containsExactlyInAnyOrder(
                        "POSTGRESQL_A__B__C", "POSTGRESQL_FOO__1BAR", "POSTGRESQL_INCLUDE"))
        .hasMessageContaining("at most one dot")
        .hasMessageContaining("is a postgresql.conf directive");
  }

  @Test
  void theReplicationUserIsOnlyWrittenWhenPatroniIsEnabled() {
    Settings settings = settings(Map.of("PATRONI_REPLICATION_USER", "distinct_replicator"));

    List<RenderedFile> files = DEFAULT.render(RenderInput.of(settings, "postgres"));

    assertThat(contentOf(files, "pg_hba.conf"))
        .doesNotContain("host    replication", "distinct_replicator");
  }

  @Test
  void aRendererIsReusableAndRendersTheSameFilesEveryTime() {
    RenderInput input = RenderInput.of(settings(Map.of("POSTGRESQL_WORK_MEM", "4MB")), "postgres");

    assertThat(DEFAULT.render(input)).isEqualTo(DEFAULT.render(input));
  }

  @Test
  void renderedFileToStringLeavesTheContentOut() {
    RenderedFile secret =
        RenderedFile.secret(
            Path.of("/etc/pgbackrest/pgbackrest.conf"), "repo1-cipher-pass=hunter2");

    assertThat(secret.toString()).doesNotContain("hunter2").contains("rw-------");
    assertThat(secret.mode()).isEqualTo(PosixFilePermissions.fromString("rw-------"));
  }

  private static Settings settings(Map<String, String> overrides) {
    Map<String, String> env = new HashMap<>();
    env.put("HOSTNAME", "db-0");
    env.put("POSTGRES_PASSWORD", "s3cret");
    env.putAll(overrides);
    return Settings.fromEnvironment(env);
  }

  private static String contentOf(List<RenderedFile> files, String fileName) {
    return files.stream()
        .filter(f -> f.path().getFileName().toString().equals(fileName))
        .findFirst()
        .orElseThrow()
        .content();
  }
}
