package dev.pgcontainer.launchercli;

import static org.assertj.core.api.Assertions.fail;

import dev.pgcontainer.testsupport.FreePorts;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A one-member etcd 3.4 (Debian's etcd-server) for the Patroni ITs: free client and peer ports on
 * 127.0.0.1 (or on a {@link TestNetwork.TestHost} of its own), a temporary data directory, output
 * in a file there. {@link #close()} kills it and deletes the directory.
 */
final class EtcdServer implements AutoCloseable {

  private static final Duration START_BOUND = RunningLauncher.HANG_GUARD;

  private final Process process;
  private final Path directory;
  private final String clientHost;
  private final int clientPort;
  private final String probedHost;

  private EtcdServer(
      Process process, Path directory, String clientHost, int clientPort, String probedHost) {
    this.process = process;
    this.directory = directory;
    this.clientHost = clientHost;
    this.clientPort = clientPort;
    this.probedHost = probedHost;
  }

  /** Starts etcd on 127.0.0.1 and waits until it reports itself healthy. */
  static EtcdServer start() {
    return start(List.of(), "127.0.0.1", "127.0.0.1", "127.0.0.1");
  }

  /**
   * Starts etcd inside {@code host}: members reach it at the host's cluster address, the test
   * checks its health at the management address.
   */
  static EtcdServer startOn(TestNetwork.TestHost host) {
    return start(
        host.inside(List.of()), "0.0.0.0", host.clusterAddress(), host.managementAddress());
  }

  private static EtcdServer start(
      List<String> wrapper, String listenHost, String clientHost, String probedHost) {
    try {
      Path directory = Files.createTempDirectory("pgc-etcd-");
      int clientPort = FreePorts.next();
      int peerPort = FreePorts.next();
      String peer = "http://" + clientHost + ":" + peerPort;
      List<String> command = new ArrayList<>(wrapper);
      command.addAll(
          List.of(
              "etcd",
              "--name",
              "it",
              "--data-dir",
              directory.resolve("data").toString(),
              "--listen-client-urls",
              "http://" + listenHost + ":" + clientPort,
              "--advertise-client-urls",
              "http://" + clientHost + ":" + clientPort,
              "--listen-peer-urls",
              "http://" + listenHost + ":" + peerPort,
              "--initial-advertise-peer-urls",
              peer,
              "--initial-cluster",
              "it=" + peer));
      Process process =
          new ProcessBuilder(command)
              .redirectErrorStream(true)
              .redirectOutput(directory.resolve("etcd.out").toFile())
              .start();
      EtcdServer etcd = new EtcdServer(process, directory, clientHost, clientPort, probedHost);
      etcd.awaitHealthy();
      return etcd;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start etcd (Debian: apt-get install etcd-server)", e);
    }
  }

  /** {@code host:port} as PATRONI_ETCD_HOSTS takes it. */
  String endpoint() {
    return clientHost + ":" + clientPort;
  }

  private void awaitHealthy() throws IOException {
    HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
    HttpRequest health =
        HttpRequest.newBuilder(URI.create("http://" + probedHost + ":" + clientPort + "/health"))
            .timeout(Duration.ofSeconds(1))
            .build();
    long deadline = System.nanoTime() + START_BOUND.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        fail(
            "etcd exited with "
                + process.exitValue()
                + ":\n"
                + Files.readString(directory.resolve("etcd.out")));
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
    fail(
        "etcd was not healthy within "
            + START_BOUND
            + ":\n"
            + Files.readString(directory.resolve("etcd.out")));
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
