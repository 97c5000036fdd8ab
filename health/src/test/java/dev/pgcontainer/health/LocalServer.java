package dev.pgcontainer.health;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pgcontainer.core.Settings;
import dev.pgcontainer.testsupport.Sandbox;
import dev.pgcontainer.testsupport.ServerBinaries;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A real PostgreSQL server of a test's own, run by pg_ctl as the OS user postgres (initdb and
 * postgres refuse root): trust authentication, TCP on 127.0.0.1 and a socket in its own directory,
 * everything under one root. For probes of situations the launcher's run cannot set up: a streaming
 * replica, a restart under a watching probe.
 */
final class LocalServer {

  private static final String OS_USER = Sandbox.SERVER_OS_USER;

  private final Path root;
  private final int port;

  private LocalServer(Path root, int port) {
    this.root = root;
    this.port = port;
  }

  /** A new cluster made by initdb in {@code root/data}; not started. */
  static LocalServer initdb(Path root, int port) {
    LocalServer server = prepared(root, port);
    server.run(
        List.of(
            binary("initdb"),
            "-D",
            server.data().toString(),
            "-U",
            "postgres",
            "-A",
            "trust",
            "--no-sync"));
    return server;
  }

  /** A streaming replica of the running {@code primary}, made by pg_basebackup -R; not started. */
  static LocalServer replicaOf(LocalServer primary, Path root, int port) {
    LocalServer server = prepared(root, port);
    server.run(
        List.of(
            binary("pg_basebackup"),
            "-h",
            "127.0.0.1",
            "-p",
            String.valueOf(primary.port),
            "-U",
            "postgres",
            "-D",
            server.data().toString(),
            "-R",
            "-X",
            "stream",
            "--no-sync"));
    return server;
  }

  private static LocalServer prepared(Path root, int port) {
    LocalServer server = new LocalServer(root, port);
    try {
      Files.createDirectories(server.socket());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Sandbox.chownToServerUser(root);
    Sandbox.chownToServerUser(server.socket());
    return server;
  }

  void start() {
    run(
        List.of(
            binary("pg_ctl"),
            "start",
            "-w",
            "-D",
            data().toString(),
            "-l",
            root.resolve("server.log").toString(),
            "-o",
            "-p " + port + " -k " + socket() + " -c listen_addresses=127.0.0.1 -c fsync=off"));
  }

  /** pg_ctl restart: a new postmaster, as Patroni or an operator would restart it. */
  void restart() {
    run(
        List.of(
            binary("pg_ctl"),
            "restart",
            "-w",
            "-m",
            "fast",
            "-D",
            data().toString(),
            "-l",
            root.resolve("server.log").toString()));
  }

  void stopIfRunning() {
    if (Files.exists(data().resolve("postmaster.pid"))) {
      run(List.of(binary("pg_ctl"), "stop", "-w", "-m", "immediate", "-D", data().toString()));
    }
  }

  /** Probing settings for this server (its PGDATA, socket and port). */
  Settings settings() {
    return TestSettings.under(
        root, port, Map.of("PGDATA", data().toString(), "PGSOCKET", socket().toString()));
  }

  /** Runs SQL with psql on the socket and returns its unaligned output. */
  String sql(String statement) {
    return run(List.of(
            binary("psql"),
            "-X",
            "-A",
            "-t",
            "-h",
            socket().toString(),
            "-p",
            String.valueOf(port),
            "-U",
            "postgres",
            "-d",
            "postgres",
            "-c",
            statement))
        .strip();
  }

  Path data() {
    return root.resolve("data");
  }

  private Path socket() {
    return root.resolve("socket");
  }

  private static String binary(String name) {
    return ServerBinaries.binary(name).toString();
  }

  /** Runs {@code command} as the server's OS user and returns its output. */
  private static String run(List<String> command) {
    List<String> asUser = new ArrayList<>(List.of("runuser", "-u", OS_USER, "--"));
    asUser.addAll(command);
    return exec(asUser);
  }

  /** Runs {@code command} and returns its output; fails the test when it fails. */
  private static String exec(List<String> command) {
    try {
      Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(process.waitFor()).as("exit code of %s; output:%n%s", command, output).isZero();
      return output;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
