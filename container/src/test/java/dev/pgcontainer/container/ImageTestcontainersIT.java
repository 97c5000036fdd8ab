package dev.pgcontainer.container;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.testcontainers.containers.JdbcDatabaseContainer;
import org.testcontainers.containers.PostgreSQLContainer;

/**
 * Testcontainers' own PostgreSQLContainer with the image as a compatible substitute for {@code
 * postgres}, unchanged otherwise: its wait (the ready line twice, within its 60 s), its command
 * ({@code postgres -c fsync=off}), its variables and its init script. And PgContainer where a
 * JdbcDatabaseContainer is expected, as frameworks take one.
 */
class ImageTestcontainersIT {

  private static final String INIT_SCRIPT = "testcontainers-init.sql";

  @BeforeEach
  void imageIsAvailable() {
    ImageUnderTest.assumeAvailable();
  }

  @Test
  void startsWithPostgreSqlContainersDefaults() throws Exception {
    try (PostgreSQLContainer<?> pg =
        ImageUnderTest.postgreSqlContainer("testcontainers-defaults")) {
      pg.start();

      assertThat(Sql.queryOne(pg, "SELECT current_user || ' ' || current_database()"))
          .isEqualTo("test test");
      assertThat(Sql.queryOne(pg, "SHOW fsync"))
          .as("from its command, postgres -c fsync=off")
          .isEqualTo("off");
    }
  }

  @Test
  void runsTheInitScript() throws Exception {
    try (PostgreSQLContainer<?> pg =
        ImageUnderTest.postgreSqlContainer("testcontainers-init-script")
            .withInitScript(INIT_SCRIPT)) {
      pg.start();

      assertThat(Sql.queryOne(pg, "SELECT note FROM init_script_ran"))
          .isEqualTo("from withInitScript");
    }
  }

  @Test
  void takesServerOptionsFromThePostgresCommand() throws Exception {
    try (PostgreSQLContainer<?> pg =
        ImageUnderTest.postgreSqlContainer("testcontainers-command")
            .withCommand("postgres -c max_connections=42")) {
      pg.start();

      assertThat(Sql.queryOne(pg, "SHOW max_connections")).isEqualTo("42");
    }
  }

  @Test
  void createsTheChosenDatabaseUserAndPassword() throws Exception {
    try (PostgreSQLContainer<?> pg =
        ImageUnderTest.postgreSqlContainer("testcontainers-credentials")
            .withDatabaseName("inventory")
            .withUsername("app_owner")
            .withPassword("it's s3cret")) {
      pg.start();

      assertThat(Sql.queryOne(pg, "SELECT current_user || ' ' || current_database()"))
          .isEqualTo("app_owner inventory");
      assertThatThrownBy(
              () -> DriverManager.getConnection(pg.getJdbcUrl(), "app_owner", "wrong").close())
          .isInstanceOf(SQLException.class)
          .hasMessageContaining("password authentication failed");
    }
  }

  @Test
  void pgContainerServesAsAJdbcDatabaseContainer() throws Exception {
    try (JdbcDatabaseContainer<?> database =
        ImageUnderTest.pgContainer("testcontainers-pgcontainer")
            .withInitScript(INIT_SCRIPT)
            .withCommand("postgres -c max_connections=42")) {
      database.start();

      try (Connection connection = database.createConnection("");
          Statement statement = connection.createStatement();
          ResultSet result =
              statement.executeQuery(
                  "SELECT (SELECT note FROM init_script_ran), current_setting('max_connections')")) {
        assertThat(result.next()).isTrue();
        assertThat(result.getString(1)).isEqualTo("from withInitScript");
        assertThat(result.getString(2)).isEqualTo("42");
      }
    }
  }
}
