package dev.pgcontainer.patroni;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.pgcontainer.backup.BackupFeature;
import dev.pgcontainer.configrender.ConfigRenderer;
import dev.pgcontainer.configrender.RenderInput;
import dev.pgcontainer.configrender.RenderedFile;
import dev.pgcontainer.core.Settings;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;

/**
 * patroni.yml with BACKUP_ENABLED=true: replicas restore from the pgBackRest repository before
 * pg_basebackup.
 */
class PatroniBackupConfigTest {

  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  @Test
  void aNewReplicaTriesThePgbackrestRestoreThenBasebackup() throws Exception {
    JsonNode postgresql =
        render(
                Map.of(
                    "BACKUP_ENABLED",
                    "true",
                    "BACKUP_STANZA",
                    "orders",
                    "PGCONFIG",
                    "/srv/pg config"))
            .path("postgresql");

    assertThat(
            StreamSupport.stream(postgresql.path("create_replica_methods").spliterator(), false)
                .map(JsonNode::asText))
        .containsExactly("pgbackrest", "basebackup");
    JsonNode pgbackrest = postgresql.path("pgbackrest");
    assertThat(pgbackrest.path("command").asText())
        .isEqualTo(
            "pgbackrest '--config=/srv/pg config/pgbackrest.conf' --stanza=orders --delta restore");
    assertThat(pgbackrest.path("keep_data").asBoolean()).isTrue();
    assertThat(pgbackrest.path("no_params").asBoolean()).isTrue();
    assertThat(postgresql.path("custom_conf").asText())
        .as("the archive settings come with the launcher's pgcontainer.conf")
        .isEqualTo("/srv/pg config/pgcontainer.conf");
  }

  @Test
  void withoutBackupsPatroniKeepsItsOwnReplicaCreation() throws Exception {
    JsonNode postgresql = render(Map.of()).path("postgresql");

    assertThat(postgresql.has("create_replica_methods")).isFalse();
    assertThat(postgresql.has("pgbackrest")).isFalse();
  }

  @Test
  void pgbackrestConfIsRenderedBesidePatroniYml() {
    Settings settings = settings(Map.of("BACKUP_ENABLED", "true", "PGCONFIG", "/srv/config"));

    List<RenderedFile> files =
        ConfigRenderer.withDefaultTemplates()
            .render(
                RenderInput.of(settings, "postgres")
                    .withContributors(List.of(new PatroniFeature(), new BackupFeature())));

    assertThat(files)
        .extracting(file -> file.path().toString())
        .contains("/srv/config/patroni.yml", "/srv/config/pgbackrest.conf");
  }

  private static JsonNode render(Map<String, String> env) throws Exception {
    return YAML.readTree(PatroniConfig.of(RenderInput.of(settings(env), "postgres")).toYaml());
  }

  private static Settings settings(Map<String, String> env) {
    Map<String, String> all =
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
    all.putAll(env);
    return TestSettings.of(all);
  }
}
