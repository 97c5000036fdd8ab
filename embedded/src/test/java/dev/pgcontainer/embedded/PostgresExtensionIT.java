package dev.pgcontainer.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Each test gets its own copy of the migrated template; what one test writes, no other test sees.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PostgresExtensionIT {

  @RegisterExtension
  static final PostgresExtension PG =
      PostgresExtension.create()
          .migrateTemplate(
              template -> {
                try (Connection c = template.connect();
                    Statement statement = c.createStatement()) {
                  statement.execute(
                      "CREATE TABLE item (name text PRIMARY KEY); INSERT INTO item VALUES ('from the migration')");
                }
              });

  private static long items(Connection connection) throws SQLException {
    try (Statement statement = connection.createStatement();
        ResultSet rows = statement.executeQuery("SELECT count(*) FROM item")) {
      rows.next();
      return rows.getLong(1);
    }
  }

  @RepeatedTest(3)
  @Order(1)
  void eachTestStartsFromTheMigratedTemplate(Connection connection, PgDatabase database)
      throws SQLException {
    assertThat(items(connection)).isEqualTo(1);
    try (Statement statement = connection.createStatement()) {
      statement.execute("INSERT INTO item VALUES ('written by " + database.name() + "')");
    }
    assertThat(items(connection)).isEqualTo(2);
    try (Connection other = database.connect();
        Statement statement = other.createStatement();
        ResultSet rows =
            statement.executeQuery("SELECT current_database(), current_setting('fsync')")) {
      rows.next();
      assertThat(rows.getString(1)).isEqualTo(database.name());
      assertThat(rows.getString(2)).isEqualTo("off");
    }
  }

  @Test
  @Order(2)
  void theServerIsTheClassesAndEarlierTestsDatabasesAreDropped(PgServer server, PgDatabase mine)
      throws Exception {
    assertThat(server.isReady()).isTrue();
    long sequence = Long.parseLong(mine.name().substring(mine.name().lastIndexOf('_') + 1));
    assertThat(sequence).as("the three repetitions came first").isGreaterThan(3);
    // the drops run in the background: wait for them, generously
    long end = System.nanoTime() + Duration.ofMinutes(1).toNanos();
    while (!earlierCopies(server, sequence).isEmpty()) {
      assertThat(System.nanoTime()).as("earlier copies dropped").isLessThan(end);
      Thread.sleep(20);
    }
    try (Connection admin = server.connect();
        Statement statement = admin.createStatement();
        ResultSet rows =
            statement.executeQuery(
                "SELECT datistemplate, datallowconn FROM pg_database WHERE datname = 'pgcontainer_template'")) {
      assertThat(rows.next()).isTrue();
      assertThat(rows.getBoolean(1)).isTrue();
      assertThat(rows.getBoolean(2)).isFalse();
    }
  }

  private static List<String> earlierCopies(PgServer server, long sequence) throws SQLException {
    List<String> earlier = new ArrayList<>();
    try (Connection admin = server.connect();
        Statement statement = admin.createStatement();
        ResultSet rows =
            statement.executeQuery(
                "SELECT datname FROM pg_database WHERE datname LIKE 'pgcontainer\\_template\\_%'")) {
      while (rows.next()) {
        String name = rows.getString(1);
        if (Long.parseLong(name.substring(name.lastIndexOf('_') + 1)) < sequence) {
          earlier.add(name);
        }
      }
    }
    return earlier;
  }
}
