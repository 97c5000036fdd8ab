package dev.pgcontainer.launchercli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * A {@link PatroniCluster} on a {@link TestNetwork}: etcd and three members each on a host of its own, and the fault
 * scenarios of the partition tests. Each scenario runs an {@link EveryMemberWriter} throughout, asserts that every
 * acknowledged row is on the primary at the end and that no two members accepted writes at once, and prints one
 * {@code [partition]} line with its numbers (bench/partition.sh collects them). Waits have generous deadlines; no
 * timing is asserted.
 */
final class PartitionedCluster implements AutoCloseable {

  static final int TTL = 10;
  static final int LOOP_WAIT = 2;

  /** Synchronous mode, with the leader-key timings of the other timing tests (loop_wait + 2 * retry_timeout <= ttl). */
  static final Map<String, String> CLUSTER_ENVIRONMENT = Map.of(
      "PATRONI_TTL", String.valueOf(TTL),
      "PATRONI_LOOP_WAIT", String.valueOf(LOOP_WAIT),
      "PATRONI_RETRY_TIMEOUT", "4",
      "PATRONI_SYNCHRONOUS_MODE", "true",
      "PATRONI_NAMESPACE", "/pgcontainer-partition/",
      "POSTGRESQL_MAX_CONNECTIONS", "60");

  /** Not a requirement: keeps a broken cluster from hanging the build on a loaded machine. */
  static final Duration GUARD = Duration.ofMinutes(3);

  private static final ObjectMapper JSON = new ObjectMapper();

  private final TestNetwork network;
  private final PatroniCluster cluster;
  private final List<TestNetwork.TestHost> hosts;
  private int tables;

  private PartitionedCluster(TestNetwork network, PatroniCluster cluster, List<TestNetwork.TestHost> hosts) {
    this.network = network;
    this.cluster = cluster;
    this.hosts = hosts;
  }

  /** Makes the network, etcd and three members, starts them and waits for a healthy cluster. */
  static PartitionedCluster start() {
    TestNetwork network = TestNetwork.create();
    List<TestNetwork.TestHost> hosts = new ArrayList<>();
    PatroniCluster cluster = null;
    try {
      cluster = PatroniCluster.createOn(network, CLUSTER_ENVIRONMENT, hosts);
      PartitionedCluster partitioned = new PartitionedCluster(network, cluster, hosts);
      cluster.members().forEach(PatroniMember::start);
      cluster.awaitHealthy(GUARD);
      return partitioned;
    } catch (RuntimeException | Error e) {
      Cleanup.closeAll(cluster, network);
      throw e;
    }
  }

  PatroniCluster cluster() {
    return cluster;
  }

  /** What a scenario measured; {@link #print} writes it as one line. */
  record Outcome(String scenario, Duration withoutWritablePrimary, Optional<Duration> firstWriteOnNewLeader,
      int acknowledged, int present, Duration overlap, List<String> writableInTurn, String notes) {
    void print() {
      System.out.printf("[partition] %s: without a writable primary %d ms; first write on a new leader %s;"
              + " rows acknowledged %d, present %d; overlap of two writable primaries %d ms; writable in turn %s; %s%n",
          scenario, withoutWritablePrimary.toMillis(),
          firstWriteOnNewLeader.map(d -> d.toMillis() + " ms after the fault").orElse("none (no failover)"),
          acknowledged, present, overlap.toMillis(), String.join(" > ", writableInTurn), notes);
    }
  }

  /**
   * The leader's host loses the cluster network (etcd and the replicas) while clients still reach it: it must stop
   * acknowledging writes, a replica takes over, and after healing it rejoins as a replica.
   */
  Outcome leaderCutOff(Duration partition) throws SQLException {
    PatroniMember leader = cluster.awaitHealthy(GUARD);
    TestNetwork.TestHost host = hostOf(leader);
    try (EveryMemberWriter writer = startWriter(leader)) {
      long cut = System.nanoTime();
      network.cut(host);
      PatroniMember newLeader;
      String health;
      try {
        EveryMemberWriter.Ack first = writer.awaitAckAfter(cut, GUARD, ack -> !ack.member().equals(leader.name()));
        newLeader = member(first.member());
        health = awaitHealthNotPrimary(leader);
        sleepRest(cut, partition);
      } finally {
        network.heal(host);
      }
      cluster.awaitUntil(leader.name() + " rejoins as a replica", GUARD, leader::isReplica);
      cluster.awaitHealthy(GUARD);
      assertThat(newLeader.isLeader()).as("%s leads after healing", newLeader.name()).isTrue();
      awaitHealthUpAs(leader, "replica");
      boolean rewound = leader.launcher().output().contains("pg_rewind");
      return finish("leader cut off " + partition.toSeconds() + " s", writer, cut, newLeader,
          Optional.of(leader), "isolated old leader's /health/patroni: " + health + "; rejoined "
              + (rewound ? "with pg_rewind" : "without pg_rewind (nothing to rewind)"));
    }
  }

  /**
   * etcd loses the cluster network, so no member reaches it, for longer than the ttl; then it is back. With {@code
   * failsafeMode} Patroni's failsafe_mode is on: a leader that still reaches every member keeps running as primary.
   */
  Outcome etcdUnreachable(Duration outage, boolean failsafeMode) throws SQLException {
    PatroniMember leader = cluster.awaitHealthy(GUARD);
    assertThat(leader.patchClusterConfig("{\"failsafe_mode\":" + failsafeMode + "}")).startsWith("200");
    cluster.awaitUntil("failsafe_mode " + failsafeMode + " in every member's view", GUARD,
        () -> cluster.members().stream().allMatch(member -> member.clusterConfig().path("failsafe_mode")
            .asBoolean(false) == failsafeMode));
    TestNetwork.TestHost etcd = hosts.get(0);
    try (EveryMemberWriter writer = startWriter(leader)) {
      long cut = System.nanoTime();
      network.cut(etcd);
      String health;
      try {
        sleepRest(cut, outage);
        health = cluster.members().stream().map(m -> m.name() + " " + healthCheck(m, "patroni"))
            .collect(Collectors.joining("; "));
      } finally {
        network.heal(etcd);
      }
      PatroniMember after = cluster.awaitHealthy(GUARD);
      writer.awaitAckAfter(System.nanoTime(), GUARD, ack -> true);
      return finish("etcd unreachable " + outage.toSeconds() + " s, failsafe_mode " + failsafeMode, writer, cut,
          after, Optional.empty(), "health at the end of the outage: " + health);
    } finally {
      leader.patchClusterConfig("{\"failsafe_mode\":null}");
    }
  }

  /**
   * The synchronous standby loses the cluster network and comes back: the leader names the other replica its
   * synchronous standby (synchronous_mode, not strict), and the cut-off replica catches up after healing.
   */
  Outcome replicaCutOff(Duration partition) throws SQLException {
    PatroniMember leader = cluster.awaitHealthy(GUARD);
    PatroniMember standby = cluster.replicasOf(leader).stream().filter(PatroniMember::isSynchronousStandby)
        .findFirst().orElseThrow();
    PatroniMember other = cluster.replicasOf(leader).stream().filter(m -> m != standby).findFirst().orElseThrow();
    TestNetwork.TestHost host = hostOf(standby);
    try (EveryMemberWriter writer = startWriter(leader)) {
      long cut = System.nanoTime();
      network.cut(host);
      String health;
      try {
        cluster.awaitUntil(other.name() + " becomes the synchronous standby", GUARD, other::isSynchronousStandby);
        long switched = System.nanoTime();
        writer.awaitAckAfter(switched, GUARD, ack -> ack.member().equals(leader.name()));
        health = healthCheck(standby, "patroni");
        sleepRest(cut, partition);
      } finally {
        network.heal(host);
      }
      cluster.awaitHealthy(GUARD);
      writer.awaitAckAfter(System.nanoTime(), GUARD, ack -> true);
      String table = writer.table();
      writer.close();
      long rows = writer.acknowledgedIds().size();
      String count = "SELECT count(*) FROM " + table;
      cluster.awaitUntil(standby.name() + " caught up with every acknowledged row", GUARD,
          () -> PatroniCluster.queryOn(standby, count).matches("\\d+")
              && Long.parseLong(PatroniCluster.queryOn(standby, count)) >= rows);
      return finish("synchronous standby cut off " + partition.toSeconds() + " s", writer, cut, leader,
          Optional.empty(), "the cut-off standby's /health/patroni: " + health);
    }
  }

  /**
   * The leader's host loses {@code percent} % of its packets on the cluster network for {@code duration}: how many
   * times the leadership moves (ideally never).
   */
  Outcome leaderLossy(int percent, Duration duration) throws SQLException {
    PatroniMember leader = cluster.awaitHealthy(GUARD);
    TestNetwork.TestHost host = hostOf(leader);
    try (EveryMemberWriter writer = startWriter(leader)) {
      long start = System.nanoTime();
      network.lose(host, percent);
      try {
        sleepRest(start, duration);
      } finally {
        network.stopLosing(host);
      }
      PatroniMember after = cluster.awaitHealthy(GUARD);
      writer.awaitAckAfter(System.nanoTime(), GUARD, ack -> true);
      int changes = writer.writableMembersInTurn().size() - 1;
      return finish(percent + " % loss on the leader's link for " + duration.toSeconds() + " s", writer, start, after,
          Optional.of(leader), "leader changes " + changes + " (delay not applied: no netem in this kernel)");
    }
  }

  private EveryMemberWriter startWriter(PatroniMember leader) throws SQLException {
    EveryMemberWriter writer = EveryMemberWriter.start(cluster.members(), leader, "partition_writes_" + ++tables);
    writer.awaitAcknowledged(PatroniCluster.WARM_UP_WRITES, GUARD);
    return writer;
  }

  /**
   * Stops the writer, asserts every acknowledged row is on {@code primary} and that no two members accepted writes at
   * once (unless a member led twice, which the turns show), and prints the numbers.
   */
  private Outcome finish(String scenario, EveryMemberWriter writer, long fault, PatroniMember primary,
      Optional<PatroniMember> oldLeader, String notes) throws SQLException {
    writer.close();
    List<Long> acknowledged = writer.acknowledgedIds();
    int present = PatroniCluster.assertAcknowledgedRowsPresent(primary, acknowledged, writer.table());
    Optional<Duration> firstWrite = oldLeader.flatMap(old -> writer.acknowledged().stream()
        .filter(ack -> ack.nanos() > fault && !ack.member().equals(old.name())).findFirst()
        .map(ack -> Duration.ofNanos(ack.nanos() - fault)));
    Outcome outcome = new Outcome(scenario, writer.longestGapFrom(fault), firstWrite, acknowledged.size(), present,
        writer.overlap(), writer.writableMembersInTurn(), notes);
    outcome.print();
    List<String> turns = writer.writableMembersInTurn();
    if (turns.stream().distinct().count() == turns.size()) {
      assertThat(outcome.overlap()).as("time two members acknowledged writes at once; turns %s", turns)
          .isEqualTo(Duration.ZERO);
    }
    return outcome;
  }

  /**
   * Polls the isolated member's launcher until its health stops calling it a writable primary ({@code /health/patroni}
   * not UP as primary); returns that check's status and reason.
   */
  private String awaitHealthNotPrimary(PatroniMember member) {
    List<String> seen = new ArrayList<>();
    cluster.awaitUntil(member.name() + "'s /health/patroni stops showing a writable primary", GUARD, () -> {
      JsonNode check = healthCheckJson(member, "patroni");
      seen.add(describe(check));
      return !(check.path("status").asText().equals("UP") && check.path("details").path("role").asText()
          .equals("primary"));
    });
    return seen.get(seen.size() - 1);
  }

  private void awaitHealthUpAs(PatroniMember member, String role) {
    cluster.awaitUntil(member.name() + "'s /health/patroni: UP as " + role, GUARD, () -> {
      JsonNode check = healthCheckJson(member, "patroni");
      return check.path("status").asText().equals("UP") && check.path("details").path("role").asText().equals(role);
    });
  }

  private String healthCheck(PatroniMember member, String name) {
    return describe(healthCheckJson(member, name));
  }

  private static JsonNode healthCheckJson(PatroniMember member, String name) {
    Optional<HttpResponse<String>> response = member.launcherHealth("/health/" + name);
    if (response.isEmpty()) {
      return JSON.missingNode();
    }
    try {
      return JSON.readTree(response.get().body()).path("checks").path(name);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String describe(JsonNode check) {
    return check.isMissingNode() ? "no answer"
        : check.path("status").asText() + " (" + check.path("reason").asText() + ")";
  }

  private TestNetwork.TestHost hostOf(PatroniMember member) {
    return hosts.stream().filter(host -> host.name().equals(member.name())).findFirst().orElseThrow();
  }

  private PatroniMember member(String name) {
    return cluster.members().stream().filter(member -> member.name().equals(name)).findFirst().orElseThrow();
  }

  /** Lets the fault last {@code length} from {@code since} (a pause that is the scenario, not a wait for an event). */
  private static void sleepRest(long since, Duration length) {
    long rest = length.toNanos() - (System.nanoTime() - since);
    if (rest > 0) {
      try {
        Thread.sleep(rest / 1_000_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
  }

  @Override
  public void close() {
    Cleanup.closeAll(cluster, network);
  }
}
