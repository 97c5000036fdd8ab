package dev.pgcontainer.backup;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pgcontainer.configrender.ConfigLayout;
import dev.pgcontainer.configrender.ConfigRenderer;
import dev.pgcontainer.configrender.RenderInput;
import dev.pgcontainer.configrender.RenderedFile;
import dev.pgcontainer.core.Settings;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PgBackRestConfigTest {

  private static final ConfigRenderer DEFAULT = ConfigRenderer.withDefaultTemplates();
  private static final BackupFeature FEATURE = new BackupFeature();

  @Test
  void rendersRepositoryRetentionAndTheStanzasClusterInPgconfig() {
    RenderedFile file =
        render(
            settings(
                Map.of(
                    "BACKUP_STANZA",
                    "orders",
                    "BACKUP_REPO_PATH",
                    "/backups/repo",
                    "BACKUP_RETENTION_FULL",
                    "3",
                    "BACKUP_RETENTION_DIFF",
                    "9",
                    "POSTGRESQL_PORT",
                    "5433",
                    "POSTGRES_USER",
                    "admin",
                    "TIMEOUT",
                    "45")));

    assertThat(file.path()).isEqualTo(Path.of("/etc/pg/pgbackrest.conf"));
    assertThat(file.mode()).isEqualTo(PosixFilePermissions.fromString("rw-r--r--"));
    assertThat(file.content())
        .containsSubsequence(
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
  void isTheBackupFeaturesFileAndTheFeatureIsOnlyEnabledWithBackups() {
    Settings without = settings(Map.of("BACKUP_ENABLED", "false"));
    Settings with = settings(Map.of());

    assertThat(FEATURE.enabled(without)).isFalse();
    assertThat(FEATURE.enabled(with)).isTrue();
    assertThat(DEFAULT.render(withBackups(RenderInput.of(with, "postgres"))))
        .contains(render(with));
  }

  @Test
  void archivingIsOnlyConfiguredWithBackupsAndComesAfterTheUsersFileAndBeforeTheEnvironment() {
    String without =
        contentOf(
            DEFAULT.render(RenderInput.of(settings(Map.of()), "postgres")), "pgcontainer.conf");
    String with =
        contentOf(
            DEFAULT.render(
                withBackups(
                    RenderInput.of(
                        settings(
                            Map.of(
                                "BACKUP_ENABLED",
                                "true",
                                "BACKUP_STANZA",
                                "main",
                                "PGCONFIG",
                                "/etc/pg")),
                        "postgres"))),
            "pgcontainer.conf");

    assertThat(without).doesNotContain("archive_");
    assertThat(with)
        .containsSubsequence(
            "include_if_exists '/etc/pg/postgresql.conf'\n",
            "archive_mode = 'on'\n",
            "archive_command = 'pgbackrest --config=/etc/pg/pgbackrest.conf --stanza=main archive-push %p'\n",
            "include '/etc/pg/pgcontainer-env.conf'");
  }

  @Test
  void archiveCommandQuotesWordsForTheShellAndDoublesPercentSignsForTheServer() {
    Settings settings =
        settings(Map.of("BACKUP_ENABLED", "true", "PGCONFIG", "/etc/pg 1/it's 100%"));

    String conf =
        contentOf(
            DEFAULT.render(withBackups(RenderInput.of(settings, "postgres"))), "pgcontainer.conf");

    // shell word: '--config=/etc/pg 1/it'\''s 100%/pgbackrest.conf'; then % doubled; then ' doubled
    // and \ escaped for postgresql.conf
    assertThat(conf)
        .contains(
            "\narchive_command = 'pgbackrest ''--config=/etc/pg 1/it''\\\\''''s 100%%/pgbackrest.conf'' --stanza=default"
                + " archive-push %p'\n");
  }

  private static RenderedFile render(Settings settings) {
    return PgBackRestConfig.render(settings, ConfigLayout.of(settings));
  }

  private static RenderInput withBackups(RenderInput input) {
    return input.withContributors(List.of(FEATURE));
  }

  private static String contentOf(List<RenderedFile> files, String name) {
    return files.stream()
        .filter(f -> f.path().getFileName().toString().equals(name))
        .findFirst()
        .orElseThrow()
        .content();
  }

  private static Settings settings(Map<String, String> overrides) {
    Map<String, String> env =
        new HashMap<>(
            Map.of(
                "POSTGRES_PASSWORD",
                "pw",
                "BACKUP_ENABLED",
                "true",
                "PGDATA",
                "/data/pg",
                "PGCONFIG",
                "/etc/pg",
                "PGLOG",
                "/var/log/pg",
                "PGSOCKET",
                "/run/pg"));
    env.putAll(overrides);
    return Settings.fromEnvironment(env, List.of(new BackupRules(CronSchedule::problem)));
  }
}
