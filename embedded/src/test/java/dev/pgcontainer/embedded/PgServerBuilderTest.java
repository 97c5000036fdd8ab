package dev.pgcontainer.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * What the typed builder hands the launcher's validation: its values as the variables they stand
 * for, only them.
 */
class PgServerBuilderTest {

  private static final Path BASE = Path.of("/srv/pg");

  @Test
  void settingsBecomeTheirPassthroughVariablesWithADoubleUnderscoreForADot() {
    Map<String, String> env =
        PgServer.builder()
            .setting("work_mem", "8MB")
            .setting("pg_stat_statements.max", "500")
            .database("app")
            .port(6543)
            .environment(Map.of(), BASE, "pw");
    assertThat(env)
        .containsEntry("POSTGRESQL_WORK_MEM", "8MB")
        .containsEntry("POSTGRESQL_PG_STAT_STATEMENTS__MAX", "500")
        .containsEntry("POSTGRES_DB", "app")
        .containsEntry("POSTGRESQL_PORT", "6543")
        .containsEntry("POSTGRESQL_LISTEN_ADDRESSES", "127.0.0.1")
        .containsEntry("POSTGRES_PASSWORD", "pw")
        .containsEntry("PGDATA", "/srv/pg/data")
        .containsEntry("PGSOCKET", "/srv/pg/socket")
        .containsEntry("HEALTH_LISTEN", "");
  }

  @Test
  void theJvmsEnvironmentCannotChangeTheServer() {
    Map<String, String> inherited =
        Map.of(
            "PATH",
            "/usr/bin",
            "POSTGRES_PASSWORD",
            "from the shell",
            "POSTGRESQL_FSYNC",
            "on",
            "PGDATA",
            "/elsewhere",
            "PATRONI_ENABLE",
            "true",
            "PGCONTAINER_RUN_AS",
            "nobody");
    Map<String, String> env = PgServer.builder().environment(inherited, BASE, "pw");
    assertThat(env)
        .containsEntry("PATH", "/usr/bin")
        .containsEntry("POSTGRES_PASSWORD", "pw")
        .containsEntry("PGDATA", "/srv/pg/data")
        .doesNotContainKeys("POSTGRESQL_FSYNC", "PATRONI_ENABLE", "PGCONTAINER_RUN_AS");
  }

  @Test
  void forTestsKeepsWhatTheUserSetBeforeOrAfter() {
    Map<String, String> env =
        PgServer.builder()
            .setting("fsync", "on")
            .forTests()
            .setting("synchronous_commit", "local")
            .environment(Map.of(), BASE, "pw");
    assertThat(env)
        .containsEntry("POSTGRESQL_FSYNC", "on")
        .containsEntry("POSTGRESQL_SYNCHRONOUS_COMMIT", "local")
        .containsEntry("POSTGRESQL_FULL_PAGE_WRITES", "off");
  }

  @Test
  void clustersNeedMembers() {
    assertThatThrownBy(() -> PgCluster.patroni(0)).hasMessageContaining("at least one member");
    assertThatThrownBy(() -> CitusCluster.withWorkers(0))
        .hasMessageContaining("at least one worker");
  }
}
