package dev.pgcontainer.instance;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The launcher's door for one-shot commands, over a real Unix socket, as bin/pgcontainer's client
 * speaks to it.
 */
class LauncherRequestsTest {

  @TempDir Path directory;

  private final List<List<String>> asked = new CopyOnWriteArrayList<>();
  private LauncherRequests requests;

  @AfterEach
  void close() {
    if (requests != null) {
      requests.close();
    }
  }

  @Test
  void aServedCommandGetsItsArgumentsAndIsAnsweredWithItsLinesAndExitCode() throws IOException {
    Path socket = listening();
    requests.serve(
        "greet",
        (arguments, answer) -> {
          asked.add(arguments);
          answer.out("hello " + String.join(" and ", arguments));
          answer.err("two lines\nof warning");
          return 3;
        });

    assertThat(ask(socket, "greet  you me "))
        .containsExactly("out hello you and me", "err two lines", "err of warning", "exit 3");
    assertThat(ask(socket, "greet"))
        .containsExactly("out hello ", "err two lines", "err of warning", "exit 3");
    assertThat(asked).containsExactly(List.of("you", "me"), List.of());
  }

  @Test
  void aCommandNotServedOrNoLongerServedOrTooLongIsLeftToTheClientsJvm() throws IOException {
    Path socket = listening();
    requests.serve("greet", (arguments, answer) -> 0);

    assertThat(ask(socket, "restore")).containsExactly("exit " + LauncherRequests.NOT_SERVED);
    assertThat(ask(socket, "")).containsExactly("exit " + LauncherRequests.NOT_SERVED);
    assertThat(ask(socket, "greet " + "x".repeat(200)))
        .containsExactly("exit " + LauncherRequests.NOT_SERVED);
    assertThat(ask(socket, "greet")).containsExactly("exit 0");
    requests.stopServing("greet");
    assertThat(ask(socket, "greet")).containsExactly("exit " + LauncherRequests.NOT_SERVED);
  }

  @Test
  void aClientThatSaysNothingHoldsUpNoOther() throws IOException {
    Path socket = listening();
    requests.serve("greet", (arguments, answer) -> 0);

    try (SocketChannel silent = connect(socket)) {
      assertThat(ask(socket, "greet")).containsExactly("exit 0");
    }
  }

  @Test
  void theSocketIsTheServerUsersAloneReplacesALeftoverAndGoesOnClose() throws IOException {
    Path socket = directory.resolve(".s.pgcontainer.5432");
    Files.writeString(socket, "left by a launcher that was killed");
    requests = LauncherRequests.at(socket);
    requests.serve("greet", (arguments, answer) -> 0);

    requests.listen();
    requests.listen(); // once is enough; a second call changes nothing

    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(socket)))
        .isEqualTo("rw-------");
    assertThat(ask(socket, "greet")).containsExactly("exit 0");
    requests.close();
    assertThat(socket).doesNotExist();
  }

  @Test
  void withoutItsDirectoryItDoesNotListen() {
    Path socket = directory.resolve("not-made-yet").resolve(".s.pgcontainer.5432");
    requests = LauncherRequests.at(socket);

    requests.listen();

    assertThat(socket.getParent()).doesNotExist();
  }

  private Path listening() {
    Path socket = directory.resolve(".s.pgcontainer.5432");
    requests = LauncherRequests.at(socket);
    requests.listen();
    return socket;
  }

  /** What the launcher answers {@code request}, line by line. */
  private static List<String> ask(Path socket, String request) throws IOException {
    try (SocketChannel channel = connect(socket)) {
      channel.write(ByteBuffer.wrap((request + "\n").getBytes(StandardCharsets.UTF_8)));
      BufferedReader answer =
          new BufferedReader(
              new InputStreamReader(Channels.newInputStream(channel), StandardCharsets.UTF_8));
      return answer.lines().collect(Collectors.toList());
    }
  }

  private static SocketChannel connect(Path socket) throws IOException {
    SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX);
    channel.connect(UnixDomainSocketAddress.of(socket));
    return channel;
  }
}
