package dev.pgcontainer.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Test classes sharing a server by name get one server and one migration, whichever class runs
 * first.
 */
class SharedServerIT {

  static final AtomicInteger MIGRATIONS = new AtomicInteger();
  static final AtomicInteger FIRST_PORT = new AtomicInteger();

  static PostgresExtension shared() {
    return PostgresExtension.create()
        .sharedAs("shared-server-it")
        .migrateTemplate(t -> MIGRATIONS.incrementAndGet());
  }

  static void assertSharedServer(PgServer server) {
    FIRST_PORT.compareAndSet(0, server.port());
    assertThat(server.port()).isEqualTo(FIRST_PORT.get());
    assertThat(MIGRATIONS.get()).isEqualTo(1);
  }

  @Nested
  class OneClass {
    @RegisterExtension static final PostgresExtension PG = shared();

    @Test
    void usesTheSharedServer(PgServer server, PgDatabase database) {
      assertSharedServer(server);
      assertThat(database.jdbcUrl()).contains(":" + server.port() + "/");
    }
  }

  @Nested
  class AnotherClass {
    @RegisterExtension static final PostgresExtension PG = shared();

    @Test
    void usesTheSameServer(PgServer server) {
      assertSharedServer(server);
    }
  }
}
