package dev.pgcontainer.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.pgcontainer.core.ConfigurationException;
import dev.pgcontainer.core.ConfigurationProblem;
import dev.pgcontainer.instance.Phase;
import dev.pgcontainer.supervision.OsUsers;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A real PostgreSQL started through the typed API, used over JDBC, and stopped by close. */
class PgServerIT {

  @TempDir Path kept;

  private static String query(Connection connection, String sql) throws SQLException {
    try (Statement statement = connection.createStatement();
        ResultSet rows = statement.executeQuery(sql)) {
      rows.next();
      return rows.getString(1);
    }
  }

  @Test
  void startsWithTheGivenSettingsAndStopsOnClose() throws Exception {
    Path directory;
    String url;
    int healthPort = PgServer.freePort();
    try (PgServer pg =
        PgServer.builder()
            .setting("work_mem", "8MB")
            .database("app")
            .healthEndpoint("127.0.0.1:" + healthPort)
            .start()) {
      assertThat(pg.isReady()).isTrue();
      assertThat(pg.healthEndpoint()).map(InetSocketAddress::getPort).contains(healthPort);
      HttpClient http = HttpClient.newHttpClient();
      HttpRequest ready =
          HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + healthPort + "/ready")).build();
      long end = System.nanoTime() + Duration.ofMinutes(1).toNanos();
      int status;
      // the endpoint's probes run on their own schedule: wait for their first report of the ready
      // server
      while ((status = http.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode())
          != 200) {
        assertThat(System.nanoTime()).as("/ready answered 200, last " + status).isLessThan(end);
        Thread.sleep(50);
      }
      assertThat(pg.phase()).isEqualTo(Phase.RUNNING);
      assertThat(pg.jdbcUrl()).isEqualTo("jdbc:postgresql://127.0.0.1:" + pg.port() + "/app");
      try (Connection c = DriverManager.getConnection(pg.jdbcUrl(), pg.user(), pg.password())) {
        assertThat(query(c, "SHOW work_mem")).isEqualTo("8MB");
        assertThat(query(c, "SELECT current_database()")).isEqualTo("app");
        assertThat(query(c, "SELECT current_user")).isEqualTo(pg.user());
        assertThat(query(c, "SHOW data_directory")).isEqualTo(pg.dataDirectory().toString());
      }
      directory = pg.dataDirectory().getParent();
      url = pg.jdbcUrl();
      if (OsUsers.isRoot()) {
        // postgres refuses root: the server runs as the postgres OS user, which owns PGDATA
        int owner =
            (Integer) Files.getAttribute(pg.dataDirectory(), "unix:uid", LinkOption.NOFOLLOW_LINKS);
        assertThat(owner).isEqualTo(OsUsers.find("postgres").orElseThrow().uid());
      }
    }
    assertThat(directory).doesNotExist();
    assertThatThrownBy(() -> DriverManager.getConnection(url, "postgres", "x"))
        .isInstanceOf(SQLException.class);
  }

  @Test
  void everyBadValueIsReportedAtOnceBeforeAnythingIsMade() {
    Path directory = kept.resolve("server");
    ConfigurationException failure =
        catchThrowableOfType(
            ConfigurationException.class,
            () ->
                PgServer.builder()
                    .directory(directory)
                    .setting("work_mem", "lots")
                    .setting("no_such_setting", "1")
                    .start());
    assertThat(failure).isNotNull();
    assertThat(failure.problems())
        .extracting(ConfigurationProblem::variable)
        .contains("POSTGRESQL_WORK_MEM", "POSTGRESQL_NO_SUCH_SETTING");
    assertThat(directory).doesNotExist();
  }

  @Test
  void aKeptDirectoryStartsAgainWithItsData() throws Exception {
    // as root, the server's OS user must be able to enter the directory's ancestors
    Files.setPosixFilePermissions(kept, PosixFilePermissions.fromString("rwxr-xr-x"));
    Path directory = kept.resolve("server");
    try (PgServer pg = PgServer.builder().directory(directory).password("secret").start();
        Connection c = pg.connect()) {
      c.createStatement().execute("CREATE TABLE kept (n int); INSERT INTO kept VALUES (42)");
    }
    assertThat(directory.resolve("data")).isDirectory();
    try (PgServer pg = PgServer.builder().directory(directory).password("secret").start();
        Connection c = pg.connect()) {
      assertThat(query(c, "SELECT n FROM kept")).isEqualTo("42");
    }
  }
}
