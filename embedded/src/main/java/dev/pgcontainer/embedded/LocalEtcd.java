package dev.pgcontainer.embedded;

import dev.pgcontainer.core.PgcontainerException;
import dev.pgcontainer.supervision.ManagedProcess;
import dev.pgcontainer.supervision.PosixSignal;
import dev.pgcontainer.supervision.ProcessSpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * A one-member etcd for a local Patroni cluster: the {@code etcd} on PATH, client and peer ports
 * free on 127.0.0.1, a temporary data directory, output piped to the logger {@code etcd}. Closing
 * stops it and removes the directory.
 */
final class LocalEtcd implements AutoCloseable {

  private static final Duration START_BOUND = Duration.ofSeconds(60);
  private static final Duration STOP_BOUND = Duration.ofSeconds(10);

  private final ManagedProcess process;
  private final Path directory;
  private final int clientPort;

  private LocalEtcd(ManagedProcess process, Path directory, int clientPort) {
    this.process = process;
    this.directory = directory;
    this.clientPort = clientPort;
  }

  /** Starts etcd and waits until it says it is healthy. */
  static LocalEtcd start() {
    Path directory;
    try {
      directory = Files.createTempDirectory("pgcontainer-etcd-");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create a directory for etcd", e);
    }
    int clientPort = PgServer.freePort();
    String client = "http://127.0.0.1:" + clientPort;
    String peer = "http://127.0.0.1:" + PgServer.freePort();
    ManagedProcess process =
        ManagedProcess.start(
            ProcessSpec.builder()
                .name("etcd")
                .command(
                    "etcd",
                    "--name",
                    "local",
                    "--data-dir",
                    directory.resolve("data").toString(),
                    "--listen-client-urls",
                    client,
                    "--advertise-client-urls",
                    client,
                    "--listen-peer-urls",
                    peer,
                    "--initial-advertise-peer-urls",
                    peer,
                    "--initial-cluster",
                    "local=" + peer)
                .environment(ProcessSpec.inheritableEnvironment(System.getenv()))
                .build());
    LocalEtcd etcd = new LocalEtcd(process, directory, clientPort);
    try {
      etcd.awaitHealthy();
    } catch (RuntimeException e) {
      etcd.close();
      throw e;
    }
    return etcd;
  }

  /** {@code host:port}, as PATRONI_ETCD_HOSTS takes it. */
  String endpoint() {
    return "127.0.0.1:" + clientPort;
  }

  private void awaitHealthy() {
    HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
    HttpRequest health =
        HttpRequest.newBuilder(URI.create("http://" + endpoint() + "/health"))
            .timeout(Duration.ofSeconds(2))
            .build();
    long deadline = System.nanoTime() + START_BOUND.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new PgcontainerException(
            "etcd ended before it was healthy; last output:\n  "
                + String.join("\n  ", process.lastOutputLines()));
      }
      try {
        if (client.send(health, HttpResponse.BodyHandlers.ofString()).body().contains("true")) {
          return;
        }
        Thread.sleep(20);
      } catch (IOException notListeningYet) {
        sleepBriefly();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new PgcontainerException("interrupted while waiting for etcd", e);
      }
    }
    throw new PgcontainerException(
        "etcd was not healthy within "
            + START_BOUND
            + "; last output:\n  "
            + String.join("\n  ", process.lastOutputLines()));
  }

  private static void sleepBriefly() {
    try {
      Thread.sleep(20);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    process.signal(PosixSignal.TERM);
    try {
      if (process.waitFor(STOP_BOUND).isEmpty()) {
        process.signal(PosixSignal.KILL);
        process.waitFor(STOP_BOUND);
      }
    } catch (InterruptedException e) {
      process.signal(PosixSignal.KILL);
      Thread.currentThread().interrupt();
    }
    PgServer.removeTree(directory);
  }
}
