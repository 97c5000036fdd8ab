package dev.pgcontainer.citus;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pgcontainer.citus.RecordingSession.Sent;
import dev.pgcontainer.core.Settings;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CitusStatusQueryTest {

  private static final Settings COORDINATOR =
      TestSettings.of(
          Map.of(
              "HOSTNAME",
              "c",
              "CITUS_ENABLE",
              "true",
              "CITUS_ROLE",
              "coordinator",
              "CITUS_DATABASE",
              "shop",
              "POSTGRES_PASSWORD",
              "pw"));

  @Test
  void countsTheWorkersAndTheActivePrimariesAmongThem() {
    RecordingSession local =
        new RecordingSession()
            .answer(CitusSql.EXTENSION_VERSIONS, "13.2-1", "13.2-1")
            .answer(
                CitusSql.NODES,
                List.of(
                    List.of("1", "0", "coord", "5432", "primary", "t"),
                    List.of("2", "1", "w1", "5432", "primary", "t"),
                    List.of("3", "2", "w2", "5433", "primary", "f"),
                    List.of("4", "1", "w1-standby", "5432", "secondary", "t")));

    CitusStatus status = CitusStatusQuery.with(COORDINATOR, () -> local, this::unreachable).read();

    assertThat(status.role()).isEqualTo(CitusRole.COORDINATOR);
    assertThat(status.database()).isEqualTo("shop");
    assertThat(status.extensionVersion()).isEqualTo("13.2-1");
    assertThat(status.workers())
        .extracting(CitusNode::host)
        .containsExactly("w1", "w2", "w1-standby");
    assertThat(status.activeWorkers()).isEqualTo(1);
    assertThat(status.nodes().get(2)).hasToString("group 2 w2:5433 primary inactive");
  }

  @Test
  void withoutTheExtensionTheNodeListIsNotAskedFor() {
    RecordingSession local =
        new RecordingSession()
            .answer(CitusSql.EXTENSION_VERSIONS, List.of(Arrays.asList("13.2-1", null)));

    CitusStatus status = CitusStatusQuery.with(COORDINATOR, () -> local, this::unreachable).read();

    assertThat(status.extensionVersion()).isEmpty();
    assertThat(status.nodes()).isEmpty();
    assertThat(local.sent()).extracting(Sent::sql).containsExactly(CitusSql.EXTENSION_VERSIONS);
  }

  @Test
  void theCoordinatorIsAskedForThisWorkersAddressOnly() {
    Settings worker =
        TestSettings.of(
            Map.of(
                "HOSTNAME",
                "w",
                "CITUS_ENABLE",
                "true",
                "CITUS_ROLE",
                "worker",
                "CITUS_COORDINATOR_HOST",
                "coord",
                "CITUS_NODE_HOST",
                "w1",
                "POSTGRESQL_PORT",
                "5433",
                "POSTGRES_PASSWORD",
                "pw"));
    RecordingSession coordinator = new RecordingSession().answer(CitusSql.NODE_ID, "2");

    boolean known =
        CitusStatusQuery.with(worker, this::unreachable, () -> coordinator).knownToCoordinator();

    assertThat(known).isTrue();
    assertThat(coordinator.sent()).containsExactly(Sent.of(CitusSql.NODE_ID, "w1", 5433));
  }

  @Test
  void underPatroniThisNodesOwnPgDistNodeIsAskedForItsConnectAddress() {
    Settings worker =
        TestSettings.of(
            Map.of(
                "HOSTNAME",
                "w",
                "CITUS_ENABLE",
                "true",
                "CITUS_ROLE",
                "worker",
                "CITUS_GROUP",
                "1",
                "CITUS_NODE_HOST",
                "w1",
                "PATRONI_ENABLE",
                "true",
                "PATRONI_CONNECT_ADDRESS",
                "10.0.0.7",
                "PATRONI_REPLICATION_PASSWORD",
                "rpw",
                "POSTGRES_PASSWORD",
                "pw"));
    RecordingSession local = new RecordingSession();

    CitusStatusQuery query = CitusStatusQuery.with(worker, () -> local, this::unreachable);

    assertThat(query.knownToCoordinator()).isFalse();
    assertThat(query.workerAddress()).hasToString("10.0.0.7:5432");
    assertThat(local.sent()).containsExactly(Sent.of(CitusSql.NODE_ID, "10.0.0.7", 5432));
  }

  private SqlSession unreachable() throws SQLException {
    throw new SQLException("not expected to be asked");
  }
}
