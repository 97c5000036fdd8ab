package dev.pgcontainer.container;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.testcontainers.containers.PostgreSQLContainer;

/** The container's settings become the image's variables; no engine needed. */
class PgContainerTest {

  @Test
  void settingsBecomePostgresqlVariablesWithADoubleUnderscoreForTheDot() {
    PgContainer pg =
        new PgContainer("pgcontainer:test")
            .withSetting("work_mem", "8MB")
            .withSetting("pg_stat_statements.max", "5000");

    assertThat(pg.getEnvMap())
        .containsEntry("POSTGRESQL_WORK_MEM", "8MB")
        .containsEntry("POSTGRESQL_PG_STAT_STATEMENTS__MAX", "5000");
  }

  @Test
  void settingNamesThatPostgresqlConfWouldRejectAndThePortAreRefused() {
    PgContainer pg = new PgContainer("pgcontainer:test");

    assertThatThrownBy(() -> pg.withSetting("WORK_MEM", "8MB"))
        .hasMessageContaining("lower-case name");
    assertThatThrownBy(() -> pg.withSetting("work mem", "8MB"))
        .hasMessageContaining("not a setting name");
    assertThatThrownBy(() -> pg.withSetting("port", "5433")).hasMessageContaining("getMappedPort");
  }

  @Test
  void isAPostgreSqlContainerWithItsDefaultsAndTheImageOwnCommand() {
    PgContainer pg = new PgContainer("localhost/pgcontainer:test");
    pg.configure();

    assertThat(pg).isInstanceOf(PostgreSQLContainer.class);
    assertThat(pg.getEnvMap())
        .containsEntry("POSTGRES_USER", "test")
        .containsEntry("POSTGRES_PASSWORD", "test")
        .containsEntry("POSTGRES_DB", "test")
        .doesNotContainKeys("POSTGRES_PASSWORD_FILE", "SLEEP_MODE");
    assertThat(pg.getCommandParts())
        .as("the image's CMD, not PostgreSQLContainer's postgres -c fsync=off")
        .isEmpty();
    assertThat(pg.getExposedPorts())
        .contains(PostgreSQLContainer.POSTGRESQL_PORT, PgContainer.HEALTH_PORT);
  }

  @Test
  void userPasswordAndDatabaseBecomeTheOfficialVariables() {
    PgContainer pg =
        new PgContainer("pgcontainer:test")
            .withUsername("app")
            .withPassword("pw")
            .withDatabaseName("db");
    pg.configure();

    assertThat(pg.getEnvMap())
        .containsEntry("POSTGRES_USER", "app")
        .containsEntry("POSTGRES_PASSWORD", "pw")
        .containsEntry("POSTGRES_DB", "db");
    assertThatThrownBy(() -> pg.withUsername(""))
        .hasMessageContaining("username must not be empty");
  }

  @Test
  void aPasswordFileReplacesThePasswordVariableAndIsReadWithoutItsTrailingNewline(
      @TempDir Path directory) throws Exception {
    Path secret = Files.writeString(directory.resolve("secret"), "from file\n");
    PgContainer pg = new PgContainer("pgcontainer:test").withPassword("first");
    pg.configure();

    pg.withPasswordFile(secret).configure();

    assertThat(pg.getEnvMap())
        .containsEntry("POSTGRES_PASSWORD_FILE", PgContainer.PASSWORD_FILE_IN_CONTAINER)
        .doesNotContainKey("POSTGRES_PASSWORD");
    assertThat(pg.getPassword()).isEqualTo("from file");
    assertThat(pg.getBinds())
        .anySatisfy(
            bind ->
                assertThat(bind.getVolume().getPath())
                    .isEqualTo(PgContainer.PASSWORD_FILE_IN_CONTAINER));
  }

  @Test
  void sleepModeSetsTheVariable() {
    PgContainer pg = new PgContainer("pgcontainer:test").withSleepMode();
    pg.configure();

    assertThat(pg.getEnvMap()).containsEntry("SLEEP_MODE", "true");
  }
}
