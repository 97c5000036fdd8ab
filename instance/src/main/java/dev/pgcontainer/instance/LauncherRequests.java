package dev.pgcontainer.instance;

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
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running launcher's door for one-shot commands ({@code pgcontainer backup}, {@code pgcontainer
 * healthcheck}): a Unix socket {@code .s.pgcontainer.PORT} in PGSOCKET (0600), answered from what
 * the launcher already has, so its Perl client in {@code bin/pgcontainer} costs milliseconds
 * instead of a JVM start. {@value #NOT_SERVED} answers a command not served (now), and the client
 * runs it itself. The parts of a run {@link #serve} their commands whenever ready, before or after
 * the socket is {@link #listen opened}. Protocol: docs/internals.md, Launcher socket.
 */
public final class LauncherRequests implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(LauncherRequests.class);

  /** The exit code that sends the client to a JVM of its own: nobody here serves the command. */
  public static final int NOT_SERVED = 75;

  /** A request is one short line; a longer one is not a request. */
  private static final int LONGEST_REQUEST = 128;

  /** Answers one command's requests. */
  @FunctionalInterface
  public interface Handler {
    /**
     * Answers a request, printing through {@code answer}.
     *
     * @param arguments the words after the command
     * @return the command's exit code, or {@link #NOT_SERVED} to leave the request to a JVM of the
     *     client's own
     */
    int answer(List<String> arguments, Answer answer) throws InterruptedException;
  }

  /**
   * Where a handler prints, as the command would on stdout and stderr; a text of several lines may
   * come at once.
   */
  public interface Answer {
    void out(String line);

    void err(String line);
  }

  private final Path socket;
  private final Map<String, Handler> handlers = new ConcurrentHashMap<>();
  private volatile ServerSocketChannel server;

  private LauncherRequests(Path socket) {
    this.socket = socket;
  }

  /** The door of {@code settings}' launcher, not listening yet. */
  public static LauncherRequests forSettings(Settings settings) {
    return at(socketOf(settings));
  }

  /** A door at {@code socket}, not listening yet. */
  public static LauncherRequests at(Path socket) {
    return new LauncherRequests(socket);
  }

  /**
   * Where the launcher of {@code settings} listens: beside its server's socket, named after its
   * port.
   */
  public static Path socketOf(Settings settings) {
    return settings.directories().socket().resolve(".s.pgcontainer." + settings.port());
  }

  /** Answers {@code command} with {@code handler} from now on, until {@link #stopServing}. */
  public void serve(String command, Handler handler) {
    handlers.put(command, handler);
  }

  /** {@code command} goes back to a JVM of the client's own. */
  public void stopServing(String command) {
    handlers.remove(command);
  }

  /**
   * Listens on the socket (a leftover of a launcher that died is replaced) and answers each request
   * on a thread of its own, so that a client that sends nothing holds up no other. Without the
   * socket the commands still work, each at the cost of a JVM start of its own: a failure is a
   * warning. Does nothing when already listening, or when the socket's directory does not exist
   * (sleep mode, before the directories are made).
   */
  public synchronized void listen() {
    if (server != null || !Files.isDirectory(socket.getParent())) {
      return;
    }
    try {
      Files.deleteIfExists(socket);
      ServerSocketChannel opened = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
      try {
        opened.bind(UnixDomainSocketAddress.of(socket));
        Files.setPosixFilePermissions(socket, PosixFilePermissions.fromString("rw-------"));
      } catch (IOException e) {
        opened.close();
        throw e;
      }
      server = opened;
    } catch (IOException | UnsupportedOperationException e) {
      LOG.warn(
          "the one-shot commands cannot ask this launcher ({} at {}); each will start a JVM of its own",
          e,
          socket);
      return;
    }
    Thread acceptor = new Thread(this::accept, "launcher-requests");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  /** Stops listening and removes the socket; a request being answered gets its answer. */
  @Override
  public synchronized void close() {
    ServerSocketChannel open = server;
    if (open == null) {
      return;
    }
    try {
      open.close();
      Files.deleteIfExists(socket);
    } catch (IOException e) {
      LOG.debug("closing {}: {}", socket, e.toString());
    }
  }

  private void accept() {
    ServerSocketChannel listening = server;
    while (listening.isOpen()) {
      try {
        SocketChannel client = listening.accept();
        Thread answer = new Thread(() -> answer(client), "launcher-request");
        answer.setDaemon(true);
        answer.start();
      } catch (ClosedChannelException e) {
        return;
      } catch (IOException e) {
        LOG.warn("launcher requests: {}", e.toString());
      }
    }
  }

  private void answer(SocketChannel client) {
    try (client;
        BufferedReader in =
            new BufferedReader(
                new InputStreamReader(Channels.newInputStream(client), StandardCharsets.UTF_8),
                LONGEST_REQUEST);
        PrintWriter out =
            new PrintWriter(Channels.newWriter(client, StandardCharsets.UTF_8), false)) {
      int code = answer(readRequest(in), out);
      out.println("exit " + code);
      out.flush(); // the whole answer in one write: a client waiting with a deadline reads it at
      // once
    } catch (IOException e) {
      LOG.debug("a launcher request's client went away: {}", e.toString());
    }
  }

  private int answer(Optional<String> request, PrintWriter out) {
    List<String> words =
        request.map(line -> Arrays.asList(line.strip().split(" +"))).orElse(List.of());
    Handler handler = words.isEmpty() ? null : handlers.get(words.get(0));
    if (handler == null) {
      return NOT_SERVED;
    }
    try {
      return handler.answer(
          words.subList(1, words.size()),
          new Answer() {
            @Override
            public void out(String line) {
              out.println("out " + line.replace("\n", "\nout "));
            }

            @Override
            public void err(String line) {
              out.println("err " + line.replace("\n", "\nerr "));
            }
          });
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      out.println(
          "err pgcontainer " + words.get(0) + ": the launcher is stopping; ask again once it runs");
      return 1;
    }
  }

  /** The request's line; nothing when it is longer than a request can be. */
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
}
