package dev.pgcontainer.launchercli;

import static dev.pgcontainer.launchercli.LauncherSandbox.queryValue;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;

/**
 * Three {@link PatroniMember}s of one cluster on their own etcd, and what the cluster tests ask of
 * them: a healthy cluster (one leader, two streaming replicas, a synchronous standby in synchronous
 * mode), a failover after the leader's death with a client writing all along, and the acknowledged
 * rows afterwards.
 */
final class PatroniCluster implements AutoCloseable {

  /** About a second of writes before each event, so that it falls among steady writes. */
  static final int WARM_UP_WRITES = 20;

  private static final List<String> NAMES = List.of("member-a", "member-b", "member-c");

  private final EtcdServer etcd;
  private final List<PatroniMember> members = new ArrayList<>();
  private final boolean synchronousMode;

  private PatroniCluster(EtcdServer etcd, Map<String, String> clusterEnvironment) {
    this.etcd = etcd;
    this.synchronousMode =
        clusterEnvironment.getOrDefault("PATRONI_SYNCHRONOUS_MODE", "false").equals("true");
  }

  /**
   * Starts an etcd and creates three members (not started) sharing {@code clusterEnvironment}, all
   * on 127.0.0.1.
   */
  static PatroniCluster create(Map<String, String> clusterEnvironment) {
    EtcdServer etcd = EtcdServer.start();
    PatroniCluster cluster = new PatroniCluster(etcd, clusterEnvironment);
    try {
      String scope = newScope();
      NAMES.forEach(
          name -> cluster.members.add(PatroniMember.create(name, scope, etcd, clusterEnvironment)));
      return cluster;
    } catch (RuntimeException e) {
      cluster.close();
      throw e;
    }
  }

  /**
   * As {@link #create}, etcd and each member on a host of its own in {@code network} ({@code etcd},
   * {@code member-a}, ...); the hosts are the list {@code hosts} receives, etcd's first.
   */
  static PatroniCluster createOn(
      TestNetwork network,
      Map<String, String> clusterEnvironment,
      List<TestNetwork.TestHost> hosts) {
    TestNetwork.TestHost etcdHost = network.addHost("etcd", 10);
    hosts.add(etcdHost);
    PatroniCluster cluster = new PatroniCluster(EtcdServer.startOn(etcdHost), clusterEnvironment);
    try {
      String scope = newScope();
      for (int i = 0; i < NAMES.size(); i++) {
        TestNetwork.TestHost host = network.addHost(NAMES.get(i), 11 + i);
        hosts.add(host);
        cluster.members.add(PatroniMember.createOn(host, scope, cluster.etcd, clusterEnvironment));
      }
      return cluster;
    } catch (RuntimeException e) {
      cluster.close();
      throw e;
    }
  }

  private static String newScope() {
    return "it-" + UUID.randomUUID().toString().substring(0, 8);
  }

  List<PatroniMember> members() {
    return members;
  }

  /** The last lines of every member's launcher, for failure reports. */
  void printMembers() {
    members.forEach(
        member ->
            System.out.printf(
                "---- %s, the end of its launcher's output:%n%s%n",
                member.describe(), member.lastOutputLines(60)));
  }

  /**
   * {@link #awaitLeaderWithTwoStreamingReplicas}, and in synchronous mode one of the replicas is
   * the synchronous standby in Patroni's /sync key: only that standby may be promoted then, so a
   * leader lost before it has one (for a second or two after every change of leader) leaves the
   * cluster without a leader, by design. A member whose launcher ended (a scenario that failed
   * half-way) is started again first, so one failure does not fail the rest.
   */
  PatroniMember awaitHealthy(Duration bound) {
    for (PatroniMember member : members) {
      if (member.launcher() != null && !member.launcher().isAlive()) {
        member.sandbox().killLeftovers();
        member.start();
      }
    }
    PatroniMember leader = awaitLeaderWithTwoStreamingReplicas(bound);
    if (synchronousMode) {
      awaitUntil(
          "a synchronous standby of " + leader.name(),
          bound,
          () -> replicasOf(leader).stream().anyMatch(PatroniMember::isSynchronousStandby));
    }
    return leader;
  }

  /**
   * One leader and two replicas streaming from it (names in pg_stat_replication); returns the
   * leader.
   */
  PatroniMember awaitLeaderWithTwoStreamingReplicas(Duration bound) {
    List<PatroniMember> streamedFrom = new ArrayList<>();
    awaitUntil(
        "one leader and two streaming replicas",
        bound,
        () -> {
          List<PatroniMember> leaders = members.stream().filter(PatroniMember::isLeader).toList();
          if (leaders.size() != 1
              || members.stream().filter(PatroniMember::isReplica).count() != 2) {
            return false;
          }
          streamedFrom.clear();
          streamedFrom.add(leaders.get(0));
          return streamingReplicaNames(leaders.get(0))
              .containsAll(replicasOf(leaders.get(0)).stream().map(PatroniMember::name).toList());
        });
    return streamedFrom.get(0);
  }

  PatroniMember awaitLeader(Duration bound) {
    awaitUntil("a leader", bound, () -> members.stream().anyMatch(PatroniMember::isLeader));
    return members.stream().filter(PatroniMember::isLeader).findFirst().orElseThrow();
  }

  List<PatroniMember> replicasOf(PatroniMember leader) {
    return members.stream().filter(member -> member != leader).toList();
  }

  /** What {@link #killLeaderWhileWriting} saw. */
  record Failover(PatroniMember killed, PatroniMember newLeader, Duration firstWrite) {}

  /**
   * With a {@link LeaderFollowingWriter} committing into {@code table}, SIGKILL to {@code leader}'s
   * launcher, Patroni and postgres at once; waits for the first write another member takes and for
   * the new leader, then checks that every acknowledged row is on it. The killed member stays down.
   */
  Failover killLeaderWhileWriting(PatroniMember leader, String table, Duration bound)
      throws SQLException {
    try (LeaderFollowingWriter writer = LeaderFollowingWriter.start(members, table)) {
      writer.awaitAcknowledged(WARM_UP_WRITES, bound);

      long killed = System.nanoTime();
      leader.killEverything();
      LeaderFollowingWriter.Ack first = writer.awaitAckElsewhereAfter(killed, leader.port(), bound);
      PatroniMember newLeader = awaitLeader(bound);
      writer.close();
      assertAcknowledgedRowsPresent(newLeader, writer, table);
      return new Failover(leader, newLeader, Duration.ofNanos(first.nanos() - killed));
    }
  }

  /** Every row {@code writer} saw acknowledged is in {@code table} on {@code leader}. */
  static void assertAcknowledgedRowsPresent(
      PatroniMember leader, LeaderFollowingWriter writer, String table) throws SQLException {
    assertAcknowledgedRowsPresent(
        leader, writer.acknowledged().stream().map(LeaderFollowingWriter.Ack::id).toList(), table);
  }

  /**
   * Every row of {@code acknowledged} is in {@code table} on {@code leader}; returns how many rows
   * it holds.
   */
  static int assertAcknowledgedRowsPresent(
      PatroniMember leader, List<Long> acknowledged, String table) throws SQLException {
    Set<Long> present = new HashSet<>();
    try (Connection connection = leader.connect();
        Statement statement = connection.createStatement();
        ResultSet rows = statement.executeQuery("SELECT id FROM " + table)) {
      while (rows.next()) {
        present.add(rows.getLong(1));
      }
    }
    System.out.printf(
        "[measured] %s: %d rows acknowledged, %d present on %s%n",
        table, acknowledged.size(), present.size(), leader.name());
    assertThat(acknowledged).isNotEmpty();
    assertThat(present).as("rows on %s", leader.name()).containsAll(acknowledged);
    return present.size();
  }

  /**
   * Members by the application_name Patroni gives their WAL receivers; pg_basebackup's senders have
   * another.
   */
  private static Set<String> streamingReplicaNames(PatroniMember leader) {
    Set<String> names = new HashSet<>();
    try (Connection connection = leader.connect();
        Statement statement = connection.createStatement();
        ResultSet rows =
            statement.executeQuery(
                "SELECT application_name FROM pg_stat_replication WHERE state = 'streaming'")) {
      while (rows.next()) {
        names.add(rows.getString(1));
      }
    } catch (SQLException e) {
      return Set.of();
    }
    return names;
  }

  /**
   * Polls {@code condition} every 100 ms; fails with every member's state when {@code bound} passes
   * first.
   */
  void awaitUntil(String what, Duration bound, BooleanSupplier condition) {
    long deadline = System.nanoTime() + bound.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        fail(
            "not within %s: %s; members: %s",
            bound,
            what,
            members.stream().map(PatroniMember::describe).collect(Collectors.joining("; ")));
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
  }

  /** The single value of {@code sql} on {@code member}, or what went wrong. */
  static String queryOn(PatroniMember member, String sql) {
    try (Connection connection = member.connect()) {
      return queryValue(connection, sql);
    } catch (SQLException e) {
      return "unreachable: " + e.getMessage();
    }
  }

  @Override
  public void close() {
    List<AutoCloseable> all = new ArrayList<>(members);
    all.add(etcd);
    Cleanup.closeAll(all.toArray(AutoCloseable[]::new));
  }
}
