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
 * A {@link PatroniCluster} on a {@link TestNetwork}: etcd and three members each on a host of its
 * own, and the fault scenarios of the partition tests. Each scenario runs an {@link
 * EveryMemberWriter} throughout, asserts that every acknowledged row is on the primary at the end
 * and that no two members accepted writes at once, and prints one {@code [partition]} line with its
 * numbers (bench/partition.sh collects them). Waits have generous deadlines; no timing is asserted.
 */
final class PartitionedCluster implements AutoCloseable {

  static final int TTL = 10;
  static final int LOOP_WAIT = 2;

  /**
   * Synchronous mode, with the leader-key timings of the other timing tests (loop_wait + 2 *
   * retry_timeout <= ttl).
   */
  static final Map<String, String> CLUSTER_ENVIRONMENT =
      Map.of(
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

  private PartitionedCluster(
      TestNetwork network, PatroniCluster cluster, List<TestNetwork.TestHost> hosts) {
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
  record Outcome(
      String scenario,
      Duration withoutWritablePrimary,
      Optional<Duration> firstWriteOnNewLeader,
      int acknowledged,
      int present,
      Duration overlap,
      List<String> writableInTurn,
      String notes) {
    void print() {
      System.out.printf(
          "[partition] %s: without a writable primary %d ms; first write on a new leader %s;"
              + " rows acknowledged %d, present %d; overlap of two writable primaries %d ms; writable in turn %s; %s%n",
          scenario,
          withoutWritablePrimary.toMillis(),
          firstWriteOnNewLeader
              .map(d -> d.toMillis() + " ms after the fault")
              .orElse("none (the leader kept it)"),
          acknowledged,
          present,
          overlap.toMillis(),
          String.join(" > ", writableInTurn),
          notes);
    }
  }

  /**
   * The baseline the partitions compare with: SIGKILL to the leader's launcher, Patroni and
   * postgres at once (a machine dying); it is started again and rejoins.
   */
  Outcome leaderKilled() throws SQLException {
    PatroniMember leader = cluster.awaitHealthy(GUARD);
    try (EveryMemberWriter writer = startWriter(leader)) {
      long killed = System.nanoTime();
      leader.killEverything();
      EveryMemberWriter.Ack first =
          writer.awaitAckAfter(killed, GUARD, ack -> !ack.member().equals(leader.name()));
      leader.start();
      cluster.awaitHealthy(GUARD);
      return finish(
          "leader killed, the baseline",
          writer,
          killed,
          member(first.member()),
          leader,
          "kill -9 of its launcher, Patroni and postgres; restarted, it rejoins");
    }
  }

  /**
   * The leader's host loses the cluster network (etcd and the replicas) while clients still reach
   * it: it must stop acknowledging writes, a replica takes over, its health and metrics say it is a
   * replica cut off from the DCS, and after healing it rejoins as a replica.
   */
  Outcome leaderCutOff(Duration partition) throws SQLException {
    PatroniMember leader = cluster.awaitHealthy(GUARD);
    TestNetwork.TestHost host = hostOf(leader);
    try (EveryMemberWriter writer = startWriter(leader);
        HealthWatch watch = new HealthWatch()) {
      long cut = System.nanoTime();
      network.cut(host);
      PatroniMember newLeader;
      String health;
      try {
        EveryMemberWriter.Ack first =
            writer.awaitAckAfter(cut, GUARD, ack -> !ack.member().equals(leader.name()));
        newLeader = member(first.member());
        health = awaitHealth(leader, "replica", "replica cut off from the DCS");
        awaitMetricsRole(leader, "replica");
        sleepRest(cut, partition);
      } finally {
        network.heal(host);
      }
      cluster.awaitUntil(leader.name() + " rejoins as a replica", GUARD, leader::isReplica);
      cluster.awaitHealthy(GUARD);
      assertThat(newLeader.isLeader()).as("%s leads after healing", newLeader.name()).isTrue();
      awaitHealthUpAs(leader, "replica");
      boolean rewound = leader.launcher().output().contains("pg_rewind exit code=0");
      return finish(
          "leader cut off " + partition.toSeconds() + " s",
          writer,
          cut,
          newLeader,
          leader,
          "isolated old leader's /health/patroni: "
              + health
              + "; rejoined "
              + (rewound ? "with pg_rewind" : "without pg_rewind (nothing to rewind)"));
    }
  }

  /**
   * etcd loses the cluster network, so no member reaches it, for longer than the ttl; then it is
   * back. With {@code failsafeMode} Patroni's failsafe_mode is on: a leader that still reaches
   * every member keeps running as primary.
   */
  Outcome etcdUnreachable(Duration outage, boolean failsafeMode) throws SQLException {
    PatroniMember leader = cluster.awaitHealthy(GUARD);
    assertThat(leader.patchClusterConfig("{\"failsafe_mode\":" + failsafeMode + "}"))
        .startsWith("200");
    cluster.awaitUntil(
        "failsafe_mode " + failsafeMode + " in every member's view",
        GUARD,
        () ->
            cluster.members().stream()
                .allMatch(
                    member ->
                        member.clusterConfig().path("failsafe_mode").asBoolean(false)
                            == failsafeMode));
    TestNetwork.TestHost etcd = hosts.get(0);
    try (EveryMemberWriter writer = startWriter(leader);
        HealthWatch watch = new HealthWatch()) {
      long cut = System.nanoTime();
      network.cut(etcd);
      String health;
      try {
        if (failsafeMode) {
          health = leader.name() + " " + awaitHealth(leader, "primary", "primary in failsafe mode");
        } else {
          health =
              cluster.members().stream()
                  .map(
                      member ->
                          member.name()
                              + " "
                              + awaitHealth(member, "replica", "replica cut off from the DCS"))
                  .collect(Collectors.joining("; "));
        }
        sleepRest(cut, outage);
      } finally {
        network.heal(etcd);
      }
      PatroniMember after = cluster.awaitHealthy(GUARD);
      writer.awaitAckAfter(System.nanoTime(), GUARD, ack -> true);
      return finish(
          "etcd unreachable " + outage.toSeconds() + " s, failsafe_mode " + failsafeMode,
          writer,
          cut,
          after,
          leader,
          "health during the outage: " + health);
    } finally {
      leader.patchClusterConfig("{\"failsafe_mode\":null}");
    }
  }

  /**
   * The synchronous standby loses the cluster network and comes back: the leader names the other
   * replica its synchronous standby (synchronous_mode, not strict), and the cut-off replica catches
   * up after healing.
   */
  Outcome replicaCutOff(Duration partition) throws SQLException {
    PatroniMember leader = cluster.awaitHealthy(GUARD);
    PatroniMember standby =
        cluster.replicasOf(leader).stream()
            .filter(PatroniMember::isSynchronousStandby)
            .findFirst()
            .orElseThrow();
    PatroniMember other =
        cluster.replicasOf(leader).stream().filter(m -> m != standby).findFirst().orElseThrow();
    TestNetwork.TestHost host = hostOf(standby);
    try (EveryMemberWriter writer = startWriter(leader);
        HealthWatch watch = new HealthWatch()) {
      long cut = System.nanoTime();
      network.cut(host);
      String health;
      try {
        cluster.awaitUntil(
            other.name() + " becomes the synchronous standby", GUARD, other::isSynchronousStandby);
        long switched = System.nanoTime();
        writer.awaitAckAfter(switched, GUARD, ack -> ack.member().equals(leader.name()));
        health = awaitHealth(standby, "replica", "replica cut off from the DCS");
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
      cluster.awaitUntil(
          standby.name() + " caught up with every acknowledged row",
          GUARD,
          () ->
              PatroniCluster.queryOn(standby, count).matches("\\d+")
                  && Long.parseLong(PatroniCluster.queryOn(standby, count)) >= rows);
      return finish(
          "synchronous standby cut off " + partition.toSeconds() + " s",
          writer,
          cut,
          leader,
          leader,
          "the cut-off standby's /health/patroni: " + health);
    }
  }

  /**
   * The leader's host loses {@code percent} % of its packets on the cluster network for {@code
   * duration}: how many times the leadership moves (ideally never).
   */
  Outcome leaderLossy(int percent, Duration duration) throws SQLException {
    PatroniMember leader = cluster.awaitHealthy(GUARD);
    TestNetwork.TestHost host = hostOf(leader);
    try (EveryMemberWriter writer = startWriter(leader);
        HealthWatch watch = new HealthWatch()) {
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
      return finish(
          percent + " % loss on the leader's link for " + duration.toSeconds() + " s",
          writer,
          start,
          after,
          leader,
          "changes of the member taking writes "
              + changes
              + ", demotions seen by the health "
              + "endpoints "
              + watch.demotions()
              + " (no delay: this kernel has no netem)");
    }
  }

  /**
   * Polls every member's launcher ({@code /health/patroni} and {@code /ready}) every half second
   * from its start to {@link #close()}, and keeps each change of what a member's health says, with
   * its time since the start.
   */
  final class HealthWatch implements AutoCloseable {
    private final long start = System.nanoTime();
    private final Map<String, String> current = new java.util.concurrent.ConcurrentHashMap<>();
    private final List<String> changes = java.util.Collections.synchronizedList(new ArrayList<>());
    private final Map<String, String> roles = new java.util.concurrent.ConcurrentHashMap<>();
    private final java.util.concurrent.atomic.AtomicInteger demotions =
        new java.util.concurrent.atomic.AtomicInteger();
    private final Thread thread = new Thread(this::poll, "health-watch");
    private volatile boolean running = true;

    HealthWatch() {
      thread.setDaemon(true);
      thread.start();
    }

    private void poll() {
      while (running) {
        for (PatroniMember member : cluster.members()) {
          JsonNode check = healthCheckJson(member, "patroni");
          String role = check.path("details").path("role").asText();
          if (!role.isEmpty()
              && !role.equals(roles.getOrDefault(member.name(), role))
              && roles.get(member.name()).equals("primary")) {
            demotions.incrementAndGet();
          }
          if (!role.isEmpty()) {
            roles.put(member.name(), role);
          }
          String now =
              describe(check)
                  + ", /ready "
                  + member
                      .launcherHealth("/ready")
                      .map(r -> r.statusCode() + " " + r.body().strip())
                      .orElse("no answer");
          if (!now.equals(current.put(member.name(), now))) {
            changes.add(
                String.format(
                    "+%.1f s %s: %s", (System.nanoTime() - start) / 1e9, member.name(), now));
          }
        }
        try {
          Thread.sleep(500);
        } catch (InterruptedException e) {
          return;
        }
      }
    }

    /**
     * How many times a member's health went from primary to another role: demotions, also of one
     * that led again.
     */
    int demotions() {
      return demotions.get();
    }

    @Override
    public void close() {
      running = false;
      thread.interrupt();
      try {
        thread.join(10_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      synchronized (changes) {
        changes.forEach(change -> System.out.println("[health] " + change));
      }
    }
  }

  private EveryMemberWriter startWriter(PatroniMember leader) throws SQLException {
    EveryMemberWriter writer =
        EveryMemberWriter.start(cluster.members(), leader, "partition_writes_" + ++tables);
    writer.awaitAcknowledged(PatroniCluster.WARM_UP_WRITES, GUARD);
    return writer;
  }

  /**
   * Stops the writer, asserts every acknowledged row is on {@code primary} and that no two members
   * accepted writes at once (unless a member led twice, which the turns show), and prints the
   * numbers.
   */
  private Outcome finish(
      String scenario,
      EveryMemberWriter writer,
      long fault,
      PatroniMember primary,
      PatroniMember oldLeader,
      String notes)
      throws SQLException {
    writer.close();
    List<Long> acknowledged = writer.acknowledgedIds();
    int present =
        PatroniCluster.assertAcknowledgedRowsPresent(primary, acknowledged, writer.table());
    Optional<Duration> firstWrite =
        writer.acknowledged().stream()
            .filter(ack -> ack.nanos() > fault && !ack.member().equals(oldLeader.name()))
            .findFirst()
            .map(ack -> Duration.ofNanos(ack.nanos() - fault));
    Outcome outcome =
        new Outcome(
            scenario,
            writer.longestGapFrom(fault),
            firstWrite,
            acknowledged.size(),
            present,
            writer.overlap(),
            writer.writableMembersInTurn(),
            notes);
    outcome.print();
    List<String> turns = writer.writableMembersInTurn();
    if (turns.stream().distinct().count() == turns.size()) {
      assertThat(outcome.overlap())
          .as("time two members acknowledged writes at once; turns %s", turns)
          .isEqualTo(Duration.ZERO);
    }
    return outcome;
  }

  /**
   * Polls {@code member}'s launcher until its {@code /health/patroni} is DEGRADED as a running
   * {@code role} with a reason that starts with {@code reason} (the health tells what the member is
   * and why); returns status and reason.
   */
  private String awaitHealth(PatroniMember member, String role, String reason) {
    List<String> seen = new ArrayList<>(List.of("no answer"));
    cluster.awaitUntil(
        member.name()
            + "'s /health/patroni: DEGRADED, running "
            + role
            + ", '"
            + reason
            + "...'; last "
            + "seen: "
            + seen,
        GUARD,
        () -> {
          JsonNode check = healthCheckJson(member, "patroni");
          seen.set(0, describe(check));
          return check.path("status").asText().equals("DEGRADED")
              && check.path("details").path("state").asText().equals("running")
              && check.path("details").path("role").asText().equals(role)
              && check.path("reason").asText().startsWith(reason);
        });
    return seen.get(0);
  }

  /**
   * Polls {@code member}'s {@code /metrics} until the {@code pgcontainer_role} gauge names {@code
   * role}.
   */
  private void awaitMetricsRole(PatroniMember member, String role) {
    String gauge = "pgcontainer_role{role=\"" + role + "\"} 1.0";
    cluster.awaitUntil(
        member.name() + "'s /metrics: " + gauge,
        GUARD,
        () ->
            member
                .launcherHealth("/metrics")
                .filter(response -> response.body().contains(gauge))
                .isPresent());
  }

  private void awaitHealthUpAs(PatroniMember member, String role) {
    cluster.awaitUntil(
        member.name() + "'s /health/patroni: UP as " + role,
        GUARD,
        () -> {
          JsonNode check = healthCheckJson(member, "patroni");
          return check.path("status").asText().equals("UP")
              && check.path("details").path("role").asText().equals(role);
        });
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
    return check.isMissingNode()
        ? "no answer"
        : check.path("status").asText() + " (" + check.path("reason").asText() + ")";
  }

  private TestNetwork.TestHost hostOf(PatroniMember member) {
    return hosts.stream()
        .filter(host -> host.name().equals(member.name()))
        .findFirst()
        .orElseThrow();
  }

  private PatroniMember member(String name) {
    return cluster.members().stream()
        .filter(member -> member.name().equals(name))
        .findFirst()
        .orElseThrow();
  }

  /**
   * Lets the fault last {@code length} from {@code since} (a pause that is the scenario, not a wait
   * for an event).
   */
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
