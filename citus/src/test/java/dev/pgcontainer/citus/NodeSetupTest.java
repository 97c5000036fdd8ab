package dev.pgcontainer.citus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pgcontainer.citus.RecordingSession.Sent;
import dev.pgcontainer.core.PgcontainerException;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class NodeSetupTest {

  private final RecordingSession maintenance = new RecordingSession();
  private final RecordingSession citusDatabase = new RecordingSession();

  @Test
  void aFreshCoordinatorGetsItsDatabaseTheExtensionAndItsOwnEntryAsCoordinator() throws Exception {
    citusDatabase.answer(CitusSql.EXTENSION_VERSIONS, List.of(Arrays.asList("13.2-1", null)));

    setup(
            Map.of(
                "CITUS_ROLE",
                "coordinator",
                "CITUS_DATABASE",
                "shop",
                "CITUS_NODE_HOST",
                "coord.example",
                "POSTGRESQL_PORT",
                "6000"))
        .run(maintenance, () -> citusDatabase);

    assertThat(maintenance.sent())
        .containsExactly(
            Sent.of("SELECT 1 FROM pg_catalog.pg_database WHERE datname = ?", "shop"),
            Sent.of("CREATE DATABASE \"shop\" OWNER \"postgres\""));
    assertThat(citusDatabase.sent())
        .containsExactly(
            Sent.of(
                "SELECT default_version, installed_version FROM pg_catalog.pg_available_extensions"
                    + " WHERE name = 'citus'"),
            Sent.of("CREATE EXTENSION IF NOT EXISTS citus"),
            Sent.of(
                "SELECT nodename, nodeport, shouldhaveshards FROM pg_catalog.pg_dist_node"
                    + " WHERE groupid = 0 AND noderole = 'primary'"),
            Sent.of("SELECT pg_catalog.citus_set_coordinator_host(?, ?)", "coord.example", 6000));
    assertThat(citusDatabase.closed()).isTrue();
  }

  @Test
  void aLaterStartOfACompleteCoordinatorOnlyLooks() throws Exception {
    maintenance.answer(CitusSql.DATABASE_EXISTS, "1");
    citusDatabase
        .answer(CitusSql.EXTENSION_VERSIONS, "13.2-1", "13.2-1")
        .answer(CitusSql.COORDINATOR_ENTRY, "coord.example", "5432", "f");

    setup(Map.of("CITUS_ROLE", "coordinator", "CITUS_NODE_HOST", "coord.example"))
        .run(maintenance, () -> citusDatabase);

    assertThat(maintenance.sent()).extracting(Sent::sql).containsExactly(CitusSql.DATABASE_EXISTS);
    assertThat(citusDatabase.sent())
        .extracting(Sent::sql)
        .containsExactly(CitusSql.EXTENSION_VERSIONS, CitusSql.COORDINATOR_ENTRY);
  }

  @Test
  void aCoordinatorWhoseAddressChangedMovesItsEntry() throws Exception {
    maintenance.answer(CitusSql.DATABASE_EXISTS, "1");
    citusDatabase
        .answer(CitusSql.EXTENSION_VERSIONS, "13.2-1", "13.2-1")
        .answer(CitusSql.COORDINATOR_ENTRY, "old-name", "5432", "f");

    setup(Map.of("CITUS_ROLE", "coordinator", "CITUS_NODE_HOST", "new-name"))
        .run(maintenance, () -> citusDatabase);

    assertThat(citusDatabase.sent())
        .last()
        .isEqualTo(Sent.of(CitusSql.SET_COORDINATOR_HOST, "new-name", 5432));
  }

  @Test
  void aStandaloneNodeIsItsOwnCoordinatorAtLocalhostAndHoldsTheShards() throws Exception {
    maintenance.answer(CitusSql.DATABASE_EXISTS, "1");
    citusDatabase.answer(CitusSql.EXTENSION_VERSIONS, "13.2-1", "13.2-1");

    setup(Map.of()).run(maintenance, () -> citusDatabase);

    assertThat(citusDatabase.sent())
        .endsWith(
            Sent.of("SELECT pg_catalog.citus_set_coordinator_host(?, ?)", "localhost", 5432),
            Sent.of(
                "SELECT pg_catalog.citus_set_node_property(?, ?, 'shouldhaveshards', true)",
                "localhost",
                5432));
  }

  @Test
  void aLaterStartOfAStandaloneNodeThatHoldsItsShardsOnlyLooks() throws Exception {
    maintenance.answer(CitusSql.DATABASE_EXISTS, "1");
    citusDatabase
        .answer(CitusSql.EXTENSION_VERSIONS, "13.2-1", "13.2-1")
        .answer(CitusSql.COORDINATOR_ENTRY, "localhost", "5432", "t");

    setup(Map.of()).run(maintenance, () -> citusDatabase);

    assertThat(citusDatabase.sent())
        .extracting(Sent::sql)
        .containsExactly(CitusSql.EXTENSION_VERSIONS, CitusSql.COORDINATOR_ENTRY);
  }

  @Test
  void aWorkerMakesNoEntryOfItsOwn() throws Exception {
    maintenance.answer(CitusSql.DATABASE_EXISTS, "1");
    citusDatabase.answer(CitusSql.EXTENSION_VERSIONS, List.of(Arrays.asList("13.2-1", null)));

    setup(Map.of("CITUS_ROLE", "worker", "CITUS_COORDINATOR_HOST", "coord"))
        .run(maintenance, () -> citusDatabase);

    assertThat(citusDatabase.sent())
        .extracting(Sent::sql)
        .containsExactly(CitusSql.EXTENSION_VERSIONS, CitusSql.CREATE_EXTENSION);
  }

  @Test
  void aServerWithoutTheExtensionIsAnErrorThatSaysWhatToCheck() {
    maintenance.answer(CitusSql.DATABASE_EXISTS, "1");

    assertThatThrownBy(() -> setup(Map.of()).run(maintenance, () -> citusDatabase))
        .isInstanceOf(PgcontainerException.class)
        .hasMessageContaining("does not offer the citus extension")
        .hasMessageContaining("citus.control and citus.so");
    assertThat(citusDatabase.sent())
        .extracting(Sent::sql)
        .doesNotContain(CitusSql.CREATE_EXTENSION);
  }

  private static NodeSetup setup(Map<String, String> overrides) {
    Map<String, String> env =
        new HashMap<>(
            Map.of("HOSTNAME", "node-0", "CITUS_ENABLE", "true", "POSTGRES_PASSWORD", "pw"));
    env.putAll(overrides);
    return NodeSetup.forSettings(TestSettings.of(env));
  }
}
