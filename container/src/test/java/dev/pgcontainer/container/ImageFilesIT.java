package dev.pgcontainer.container;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Arrays;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.testcontainers.containers.BindMode;

/**
 * Files mounted into the image: a password secret (POSTGRES_PASSWORD_FILE) and the user's
 * postgresql.conf.
 */
class ImageFilesIT {

  @TempDir Path directory;

  @BeforeEach
  void imageIsAvailable() {
    ImageUnderTest.assumeAvailable();
  }

  @Test
  void thePasswordComesFromAMountedSecretAndAppearsNowhereElse() throws Exception {
    String password = "s3cret from a file";
    Path secret =
        readableByAll(Files.writeString(directory.resolve("postgres-password"), password + "\n"));
    try (PgContainer pg = ImageUnderTest.pgContainer("password-file").withPasswordFile(secret)) {
      pg.start();

      assertThat(Sql.queryOne(pg, "SELECT current_user")).isEqualTo(pg.getUsername());
      assertThatThrownBy(
              () -> DriverManager.getConnection(pg.getJdbcUrl(), pg.getUsername(), "wrong").close())
          .isInstanceOf(SQLException.class)
          .hasMessageContaining("password authentication failed");
      String[] environment = pg.getContainerInfo().getConfig().getEnv();
      assertThat(Arrays.asList(environment))
          .contains("POSTGRES_PASSWORD_FILE=" + PgContainer.PASSWORD_FILE_IN_CONTAINER)
          .noneMatch(variable -> variable.contains(password));
      assertThat(pg.getLogs()).doesNotContain(password);
    }
  }

  @Test
  void aMountedPostgresqlConfIsUsedAsIsAndEnvironmentSettingsWin() throws Exception {
    String userConf = "work_mem = '7MB'\nmax_connections = 50\n";
    Path conf = readableByAll(Files.writeString(directory.resolve("postgresql.conf"), userConf));
    try (PgContainer pg =
        ImageUnderTest.pgContainer("postgresql-conf")
            .withSetting("max_connections", "60")
            .withFileSystemBind(
                conf.toString(), "/usr/local/pgsql/config/postgresql.conf", BindMode.READ_ONLY)) {
      pg.start();

      assertThat(Sql.queryOne(pg, "SHOW work_mem")).as("from the mounted file").isEqualTo("7MB");
      assertThat(Sql.queryOne(pg, "SHOW max_connections"))
          .as("POSTGRESQL_MAX_CONNECTIONS wins")
          .isEqualTo("60");
      assertThat(Files.readString(conf)).isEqualTo(userConf);
    }
  }

  /** The launcher reads mounted files as the postgres user (uid 999), not as the host's owner. */
  private static Path readableByAll(Path file) throws Exception {
    return Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("r--r--r--"));
  }
}
