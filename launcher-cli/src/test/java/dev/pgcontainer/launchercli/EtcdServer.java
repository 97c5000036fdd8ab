package dev.pgcontainer.launchercli;

import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A one-member etcd 3.4 (Debian's etcd-server) for the Patroni ITs: client and peer ports the kernel picked on
 * 127.0.0.1, a temporary data directory, output in a file there. {@link #close()} kills it and deletes the directory.
 */
final class EtcdServer implements AutoCloseable {

  private static final Duration START_BOUND = RunningLauncher.HANG_GUARD;

  private final Process process;
  private final Path directory;
  private final int clientPort;

  private EtcdServer(Process process, Path directory, int clientPort) {
    this.process = process;
    this.directory = directory;
    this.clientPort = clientPort;
  }

  /** Starts etcd and waits until it reports itself healthy. */
  static EtcdServer start() {
    try {
      Path directory = Files.createTempDirectory("pgc-etcd-");
      int clientPort = LauncherSandbox.freePort();
      int peerPort = LauncherSandbox.freePort();
      String client = "http://127.0.0.1:" + clientPort;
      String peer = "http://127.0.0.1:" + peerPort;
      Process process = new ProcessBuilder(List.of(
              "etcd", "--name", "it", "--data-dir", directory.resolve("data").toString(),
              "--listen-client-urls", client, "--advertise-client-urls", client,
              "--listen-peer-urls", peer, "--initial-advertise-peer-urls", peer, "--initial-cluster", "it=" + peer))
          .redirectErrorStream(true)
          .redirectOutput(directory.resolve("etcd.out").toFile())
          .start();
      EtcdServer etcd = new EtcdServer(process, directory, clientPort);
      etcd.awaitHealthy();
      return etcd;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start etcd (Debian: apt-get install etcd-server)", e);
    }
  }

  /** {@code host:port} as PATRONI_ETCD_HOSTS takes it. */
  String endpoint() {
    return "127.0.0.1:" + clientPort;
  }

  private void awaitHealthy() throws IOException {
    HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
    HttpRequest health = HttpRequest.newBuilder(URI.create("http://" + endpoint() + "/health"))
        .timeout(Duration.ofSeconds(1)).build();
    long deadline = System.nanoTime() + START_BOUND.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        fail("etcd exited with " + process.exitValue() + ":\n" + Files.readString(directory.resolve("etcd.out")));
      }
      try {
        if (client.send(health, HttpResponse.BodyHandlers.ofString()).body().contains("true")) {
          return;
        }
      } catch (IOException e) {
        // not listening yet
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
      RunningLauncher.pause();
    }
    fail("etcd was not healthy within " + START_BOUND + ":\n" + Files.readString(directory.resolve("etcd.out")));
  }

  @Override
  public void close() {
    process.destroyForcibly();
    try {
      process.waitFor(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    LauncherSandbox.run(List.of("rm", "-rf", directory.toString()));
  }
}
