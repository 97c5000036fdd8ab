package dev.pgcontainer.backup;

import dev.pgcontainer.core.PgcontainerException;
import dev.pgcontainer.core.Settings;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running launcher's door for {@code pgcontainer backup}: a Unix socket beside the server's, {@code
 * .s.pgcontainer-backup.PORT} in PGSOCKET, mode 0600 (the server's OS user; root passes anyway).
 *
 * <p>Asked this way, the backup runs on the launcher's backup thread, so it waits for a scheduled one instead of
 * failing on pgBackRest's lock and shows in health and metrics at once; and the command's client in {@code
 * bin/pgcontainer} is a few lines of Perl (always installed on Debian) that cost a few milliseconds where starting a
 * JVM for the command costs about 300. Without a launcher behind the socket the command runs the backup itself.
 *
 * <p>The protocol is lines of UTF-8. The request is {@code backup [TYPE]}; the answer is any number of {@code out TEXT}
 * (the command's stdout) and {@code err TEXT} (its stderr) lines, then {@code exit CODE}, the command's exit code.
 */
final class BackupRequests implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(BackupRequests.class);

  /** The CLI's exit codes, which the client exits with. */
  static final int EXIT_OK = 0;

  static final int EXIT_FAILURE = 1;
  static final int EXIT_USAGE = 2;

  /** A request is one short line; a longer one is not a request. */
  private static final int LONGEST_REQUEST = 64;

  /** Makes the backup a request asks for, on the launcher's backup thread. */
  @FunctionalInterface
  interface Backups {
    /** @throws PgcontainerException when the backup fails, saying why and what to do */
    OnDemandBackup.Outcome backup(BackupType type) throws InterruptedException;
  }

  private final Path socket;
  private final ServerSocketChannel server;
  private final Backups backups;

  private BackupRequests(Path socket, ServerSocketChannel server, Backups backups) {
    this.socket = socket;
    this.server = server;
    this.backups = backups;
  }

  /** Where the launcher of {@code settings} listens: beside its server's socket, named after its port. */
  static Path socketOf(Settings settings) {
    return settings.directories().socket().resolve(".s.pgcontainer-backup." + settings.port());
  }

  /**
   * Listens on {@code socket} (a leftover of a launcher that died is replaced) and answers each request on a thread of
   * its own, so that a client that sends nothing holds up no other.
   */
  static BackupRequests open(Path socket, Backups backups) throws IOException {
    Files.deleteIfExists(socket);
    ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
    try {
      server.bind(UnixDomainSocketAddress.of(socket));
      Files.setPosixFilePermissions(socket, PosixFilePermissions.fromString("rw-------"));
    } catch (IOException e) {
      server.close();
      throw e;
    }
    BackupRequests requests = new BackupRequests(socket, server, backups);
    Thread acceptor = new Thread(requests::accept, "backup-requests");
    acceptor.setDaemon(true);
    acceptor.start();
    return requests;
  }

  /** Stops listening and removes the socket; a request being answered gets its answer. */
  @Override
  public void close() {
    try {
      server.close();
      Files.deleteIfExists(socket);
    } catch (IOException e) {
      LOG.debug("closing {}: {}", socket, e.toString());
    }
  }

  private void accept() {
    while (server.isOpen()) {
      try {
        SocketChannel client = server.accept();
        Thread answer = new Thread(() -> answer(client), "backup-request");
        answer.setDaemon(true);
        answer.start();
      } catch (ClosedChannelException e) {
        return;
      } catch (IOException e) {
        LOG.warn("backup requests: {}", e.toString());
      }
    }
  }

  private void answer(SocketChannel client) {
    try (client;
        BufferedReader in = new BufferedReader(
            new InputStreamReader(Channels.newInputStream(client), StandardCharsets.UTF_8), LONGEST_REQUEST);
        PrintWriter out = new PrintWriter(Channels.newWriter(client, StandardCharsets.UTF_8), true)) {
      int code = answer(readRequest(in), out);
      out.println("exit " + code);
    } catch (IOException e) {
      LOG.debug("a backup request's client went away: {}", e.toString());
    }
  }

  private int answer(Optional<String> request, PrintWriter out) {
    Optional<String> argument = request.flatMap(BackupRequests::argument);
    if (argument.isEmpty()) {
      error(out, "backup takes at most one argument, the type: " + BackupType.keywords());
      return EXIT_USAGE;
    }
    Optional<BackupType> type = argument.get().isEmpty()
        ? Optional.of(BackupType.FULL) // as on the command line: "back up now" means a set that depends on no other
        : BackupType.fromKeyword(argument.get());
    if (type.isEmpty()) {
      error(out, "unknown backup type '" + argument.get() + "': use one of " + BackupType.keywords());
      return EXIT_USAGE;
    }
    try {
      out.println("out " + backups.backup(type.get()).describe());
      return EXIT_OK;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      error(out, "the launcher is stopping; the backup did not end");
    } catch (RuntimeException e) {
      error(out, e.getMessage());
    }
    return EXIT_FAILURE;
  }

  /** The argument of a {@code backup [TYPE]} request, empty when there is none; nothing when it is no such request. */
  static Optional<String> argument(String request) {
    String[] words = request.strip().split(" ", -1);
    if (!words[0].equals("backup") || words.length > 2) {
      return Optional.empty();
    }
    return Optional.of(words.length == 1 ? "" : words[1]);
  }

  private static Optional<String> readRequest(BufferedReader in) throws IOException {
    StringBuilder line = new StringBuilder();
    for (int c = in.read(); c != -1 && c != '\n'; c = in.read()) {
      if (line.length() == LONGEST_REQUEST) {
        return Optional.empty();
      }
      line.append((char) c);
    }
    return Optional.of(line.toString());
  }

  /** As the command prints a failure: {@code pgcontainer backup: MESSAGE} on stderr. */
  private static void error(PrintWriter out, String message) {
    out.println("err pgcontainer backup: " + message.replace("\n", "\nerr "));
  }
}
