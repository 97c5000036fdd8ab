package dev.pgcontainer.configrender;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pgcontainer.core.Settings;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PgBackRestConfigTest {

  @Test
  void rendersRepositoryRetentionAndTheStanzasClusterInPgconfig() {
    RenderedFile file = render(settings(Map.of(
        "BACKUP_STANZA", "orders", "BACKUP_REPO_PATH", "/backups/repo", "BACKUP_RETENTION_FULL", "3",
        "BACKUP_RETENTION_DIFF", "9", "POSTGRESQL_PORT", "5433", "POSTGRES_USER", "admin", "TIMEOUT", "45")));

    assertThat(file.path()).isEqualTo(Path.of("/etc/pg/pgbackrest.conf"));
    assertThat(file.mode()).isEqualTo(PosixFilePermissions.fromString("rw-r--r--"));
    assertThat(file.content()).containsSubsequence(
        "[global]\n",
        "repo1-path=/backups/repo\n",
        "repo1-retention-full=3\n",
        "repo1-retention-diff=9\n",
        "compress-type=lz4\n",
        "process-max=1\n",
        "start-fast=y\n",
        "archive-timeout=45\n",
        "log-path=/var/log/pg\n",
        "lock-path=/run/pg/pgbackrest\n",
        "[global:restore]\n",
        "process-max=2\n",
        "[orders]\n",
        "pg1-path=/data/pg\n",
        "pg1-socket-path=/run/pg\n",
        "pg1-port=5433\n",
        "pg1-user=admin\n");
  }

  @Test
  void isRenderedWithTheOtherFilesOnlyWithBackups() {
    Settings without = settings(Map.of("BACKUP_ENABLED", "false"));
    Settings with = settings(Map.of());

    assertThat(ConfigRenderer.withDefaultTemplates().render(RenderInput.of(without, "postgres")))
        .extracting(RenderedFile::path)
        .doesNotContain(Path.of("/etc/pg/pgbackrest.conf"));
    assertThat(ConfigRenderer.withDefaultTemplates().render(RenderInput.of(with, "postgres")))
        .contains(render(with));
  }

  private static RenderedFile render(Settings settings) {
    return PgBackRestConfig.render(settings, ConfigLayout.of(settings));
  }

  private static Settings settings(Map<String, String> overrides) {
    Map<String, String> env = new HashMap<>(Map.of(
        "POSTGRES_PASSWORD", "pw", "BACKUP_ENABLED", "true", "PGDATA", "/data/pg", "PGCONFIG", "/etc/pg",
        "PGLOG", "/var/log/pg", "PGSOCKET", "/run/pg"));
    env.putAll(overrides);
    return Settings.fromEnvironment(env);
  }
}
