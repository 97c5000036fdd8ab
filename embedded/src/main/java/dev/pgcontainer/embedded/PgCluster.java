package dev.pgcontainer.embedded;

import dev.pgcontainer.core.PgcontainerException;
import dev.pgcontainer.patroni.PatroniVariable;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Consumer;

/**
 * A Patroni cluster of local processes on 127.0.0.1: one etcd and N members, each a launcher run
 * with {@code PATRONI_ENABLE=true} (the same files and supervision as the image). The first member
 * bootstraps and leads; the others follow by streaming replication. See docs/java-library.md.
 */
public final class PgCluster implements AutoCloseable {

  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

  private final LocalEtcd etcd;
  private final List<Member> members;

  private PgCluster(LocalEtcd etcd, List<Member> members) {
    this.etcd = etcd;
    this.members = List.copyOf(members);
  }

  /** A Patroni cluster of {@code members} members (at least 1). */
  public static Builder patroni(int members) {
    if (members < 1) {
      throw new IllegalArgumentException("a cluster has at least one member, not " + members);
    }
    return new Builder(members);
  }

  /** Every member, stopped ones included, in the order they were started. */
  public List<Member> members() {
    return members;
  }

  /**
   * The member holding the leader key now (Patroni's {@code GET /leader} answers 200 on it alone).
   */
  public Member leader() {
    return currentLeader()
        .orElseThrow(() -> new PgcontainerException("the cluster has no leader now"));
  }

  /** The running members that are not the leader. */
  public List<Member> replicas() {
    Optional<Member> leader = currentLeader();
    return members.stream()
        .filter(Member::isRunning)
        .filter(m -> leader.map(l -> l != m).orElse(true))
        .toList();
  }

  /**
   * Waits until a running member holds the leader key, e.g. after the leader was killed or stopped;
   * polls Patroni's REST API at most every 100 ms.
   */
  public Member awaitLeader(Duration deadline) {
    long end = System.nanoTime() + deadline.toNanos();
    while (true) {
      Optional<Member> leader = currentLeader();
      if (leader.isPresent()) {
        return leader.get();
      }
      if (System.nanoTime() > end) {
        throw new PgcontainerException("no member became leader within " + deadline);
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new PgcontainerException("interrupted while waiting for a leader", e);
      }
    }
  }

  private Optional<Member> currentLeader() {
    return members.stream().filter(Member::isRunning).filter(Member::holdsLeaderKey).findFirst();
  }

  /** Stops every member (replicas first, so that the leader does not fail over) and then etcd. */
  @Override
  public void close() {
    Optional<Member> leader = currentLeader();
    try {
      members.stream()
          .filter(m -> leader.map(l -> l != m).orElse(true))
          .parallel()
          .forEach(Member::stop);
      leader.ifPresent(Member::stop);
    } finally {
      etcd.close();
    }
  }

  /** One member: a server supervised under Patroni, with its REST API on 127.0.0.1. */
  public static final class Member {

    private final String name;
    private final PgServer server;
    private final int restPort;

    private Member(String name, PgServer server, int restPort) {
      this.name = name;
      this.server = server;
      this.restPort = restPort;
    }

    /** PATRONI_NAME. */
    public String name() {
      return name;
    }

    /** The member's PostgreSQL: JDBC URL, user, password, connections. */
    public PgServer server() {
      return server;
    }

    /** Patroni's REST API, {@code http://127.0.0.1:PORT}. */
    public URI restApi() {
      return URI.create("http://127.0.0.1:" + restPort);
    }

    public boolean isRunning() {
      return server.isReady();
    }

    /**
     * Stops the member gracefully: Patroni stops postgres and, on the leader, hands the leader key
     * back.
     */
    public void stop() {
      server.close();
    }

    /**
     * Kills Patroni with SIGKILL, as a crash would; the launcher kills the postgres it leaves
     * behind.
     */
    public void kill() {
      server.kill();
    }

    private boolean holdsLeaderKey() {
      try {
        HttpRequest request =
            HttpRequest.newBuilder(restApi().resolve("/leader"))
                .timeout(Duration.ofSeconds(2))
                .GET()
                .build();
        return HTTP.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
      } catch (IOException e) {
        return false;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }

    @Override
    public String toString() {
      return name + " (port " + server.port() + ", REST " + restApi() + ")";
    }
  }

  /**
   * The members' shared settings; each member is a {@link PgServer.Builder} given Patroni's
   * variables.
   */
  public static final class Builder {

    private final int size;
    private final List<Consumer<PgServer.Builder>> shared = new ArrayList<>();
    private String scope = "pgcontainer";

    private Builder(int size) {
      this.size = size;
      // failover within seconds rather than the image's 30 s leader TTL: loop_wait + 2 *
      // retry_timeout <= ttl
      timings(Duration.ofSeconds(10), Duration.ofSeconds(2), Duration.ofSeconds(4));
    }

    /** A server setting on every member (Patroni makes it cluster-wide). */
    public Builder setting(String name, String value) {
      shared.add(b -> b.setting(name, value));
      return this;
    }

    /** Applies {@code customiser} to every member's builder, e.g. a database name or a password. */
    public Builder eachMember(Consumer<PgServer.Builder> customiser) {
      shared.add(customiser);
      return this;
    }

    /** PATRONI_SCOPE, the cluster's name (default pgcontainer). */
    public Builder scope(String clusterName) {
      this.scope = clusterName;
      return this;
    }

    /** PATRONI_TTL, PATRONI_LOOP_WAIT, PATRONI_RETRY_TIMEOUT (default 10, 2, 4 seconds). */
    public Builder timings(Duration ttl, Duration loopWait, Duration retryTimeout) {
      shared.add(
          b ->
              b.variable(PatroniVariable.PATRONI_TTL, String.valueOf(ttl.toSeconds()))
                  .variable(PatroniVariable.PATRONI_LOOP_WAIT, String.valueOf(loopWait.toSeconds()))
                  .variable(
                      PatroniVariable.PATRONI_RETRY_TIMEOUT,
                      String.valueOf(retryTimeout.toSeconds())));
      return this;
    }

    /** PATRONI_SYNCHRONOUS_MODE: no acknowledged commit is lost on failover. */
    public Builder synchronousMode(boolean on) {
      shared.add(b -> b.variable(PatroniVariable.PATRONI_SYNCHRONOUS_MODE, String.valueOf(on)));
      return this;
    }

    /**
     * Starts etcd, then the first member (which bootstraps the cluster and leads it), then the
     * others together, each waiting until it follows the leader.
     */
    public PgCluster start() {
      LocalEtcd etcd = LocalEtcd.start();
      List<Member> started = new ArrayList<>();
      String password = PgServer.Builder.randomPassword();
      String replicationPassword = PgServer.Builder.randomPassword();
      try {
        started.add(startMember(1, etcd, password, replicationPassword));
        List<CompletableFuture<Member>> others = new ArrayList<>();
        for (int i = 2; i <= size; i++) {
          int index = i;
          others.add(
              CompletableFuture.supplyAsync(
                  () -> startMember(index, etcd, password, replicationPassword)));
        }
        RuntimeException failure = null;
        for (CompletableFuture<Member> other : others) {
          try {
            started.add(other.join());
          } catch (CompletionException e) {
            failure =
                e.getCause() instanceof RuntimeException r
                    ? r
                    : new PgcontainerException(e.getMessage(), e);
          }
        }
        if (failure != null) {
          throw failure;
        }
        return new PgCluster(etcd, started);
      } catch (RuntimeException e) {
        started.forEach(Member::stop);
        etcd.close();
        throw e;
      }
    }

    private Member startMember(
        int index, LocalEtcd etcd, String password, String replicationPassword) {
      String name = scope + "-" + index;
      int restPort = PgServer.freePort();
      PgServer.Builder member = PgServer.builder();
      shared.forEach(customiser -> customiser.accept(member));
      member
          .password(password)
          .variable(PatroniVariable.PATRONI_ENABLE, "true")
          .variable(PatroniVariable.PATRONI_SCOPE, scope)
          .variable(PatroniVariable.PATRONI_NAME, name)
          .variable(PatroniVariable.PATRONI_ETCD_HOSTS, etcd.endpoint())
          .variable(PatroniVariable.PATRONI_RESTAPI_LISTEN, "127.0.0.1:" + restPort)
          .variable(PatroniVariable.PATRONI_CONNECT_ADDRESS, "127.0.0.1")
          .variable(PatroniVariable.PATRONI_REPLICATION_PASSWORD, replicationPassword);
      return new Member(name, member.start(), restPort);
    }
  }
}
