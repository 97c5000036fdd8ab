package dev.pgcontainer.container;

import static dev.pgcontainer.container.ImageUnderTest.ETCD_IMAGE;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.Network;
import org.testcontainers.containers.wait.strategy.Wait;

/**
 * Three Patroni members of the image on one etcd container, on their own network: a leader is
 * elected, and when the engine kills it ({@code podman kill}), another member takes over with the
 * data written before.
 */
class ImagePatroniIT {

  private static final int PATRONI_PORT = 8008;
  private static final String REPLICATION_PASSWORD = "replication secret";

  /**
   * Generous bounds for a loaded CI machine; the failover's real duration is bench material, not
   * asserted.
   */
  private static final Duration CLUSTER_BOUND = Duration.ofSeconds(120);

  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private final List<GenericContainer<?>> started = new ArrayList<>();
  private Network network;

  @BeforeEach
  void imagesAreAvailable() {
    ImageUnderTest.assumeAvailable(ETCD_IMAGE);
  }

  @AfterEach
  void removeContainersAndNetwork() {
    started.forEach(GenericContainer::stop);
    if (network != null) {
      network.close();
    }
  }

  @Test
  void aLeaderIsElectedAndAnotherMemberTakesOverWhenTheLeaderIsKilled() throws Exception {
    network = Network.newNetwork();
    start(
        new GenericContainer<>(ETCD_IMAGE)
            .withLogConsumer(ImageUnderTest.logTo("patroni-etcd"))
            .withNetwork(network)
            .withNetworkAliases("etcd")
            .withExposedPorts(2379)
            .waitingFor(Wait.forHttp("/health").forPort(2379).forStatusCode(200)));
    List<PgContainer> members = new ArrayList<>();
    for (String name : List.of("pg-1", "pg-2", "pg-3")) {
      members.add(start(member(name)));
    }
    PgContainer leader = awaitWritableLeader(members);
    Sql.execute(
        leader,
        "CREATE TABLE failover_check (note text); INSERT INTO failover_check VALUES ('before')");
    List<PgContainer> others = new ArrayList<>(members);
    others.remove(leader);
    for (PgContainer replica : others) {
      Engine.awaitUntil(
          name(replica) + " has the leader's row",
          CLUSTER_BOUND,
          () -> "before".equals(queryOrNull(replica, "SELECT note FROM failover_check")));
    }

    Engine.client().killContainerCmd(leader.getContainerId()).exec();

    PgContainer newLeader = awaitWritableLeader(others);
    Sql.execute(newLeader, "INSERT INTO failover_check VALUES ('after')");
    assertThat(
            Sql.queryOne(
                newLeader, "SELECT string_agg(note, ',' ORDER BY note) FROM failover_check"))
        .isEqualTo("after,before");
  }

  private PgContainer member(String name) {
    PgContainer member =
        ImageUnderTest.pgContainer("patroni-" + name)
            .withNetwork(network)
            .withNetworkAliases(name)
            .withEnv("PATRONI_ENABLE", "true")
            .withEnv("PATRONI_NAME", name)
            .withEnv("PATRONI_CONNECT_ADDRESS", name)
            .withEnv("PATRONI_ETCD_HOSTS", "etcd:2379")
            .withEnv("PATRONI_REPLICATION_PASSWORD", REPLICATION_PASSWORD)
            // the short leader-key timings, so that a failover takes seconds, not half a
            // minute
            .withEnv("PATRONI_TTL", "10")
            .withEnv("PATRONI_LOOP_WAIT", "2")
            .withEnv("PATRONI_RETRY_TIMEOUT", "4");
    member.addExposedPort(PATRONI_PORT);
    return member;
  }

  private <T extends GenericContainer<?>> T start(T container) {
    started.add(container);
    container.start();
    return container;
  }

  /**
   * The member holding the leader key whose postgres has left recovery. Patroni answers 200 on
   * /leader as soon as it takes the key, while the promotion it started is still running, and
   * writes sent then fail as read-only.
   */
  private PgContainer awaitWritableLeader(List<PgContainer> members) throws InterruptedException {
    Engine.awaitUntil(
        "a writable leader among " + members,
        CLUSTER_BOUND,
        () -> writableLeaderOf(members).isPresent());
    return writableLeaderOf(members).orElseThrow();
  }

  private Optional<PgContainer> writableLeaderOf(List<PgContainer> members) {
    return members.stream()
        .filter(this::isLeader)
        .filter(member -> "f".equals(queryOrNull(member, "SELECT pg_is_in_recovery()")))
        .findFirst();
  }

  private boolean isLeader(PgContainer member) {
    try {
      URI leader =
          URI.create(
              "http://" + member.getHost() + ":" + member.getMappedPort(PATRONI_PORT) + "/leader");
      HttpRequest request = HttpRequest.newBuilder(leader).timeout(Duration.ofSeconds(2)).build();
      return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
    } catch (IOException e) {
      return false; // not answering is not leading
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private static String queryOrNull(PgContainer member, String sql) {
    try {
      return Sql.queryOne(member, sql);
    } catch (SQLException e) {
      return null; // e.g. the table has not been replicated yet
    }
  }

  private static String name(PgContainer member) {
    return member.getEnvMap().get("PATRONI_NAME");
  }
}
