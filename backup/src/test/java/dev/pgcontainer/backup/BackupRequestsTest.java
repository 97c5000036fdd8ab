package dev.pgcontainer.backup;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pgcontainer.core.PgcontainerException;
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
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The launcher's side of {@code pgcontainer backup}'s socket, over a real Unix socket with a stand-in for backups. */
class BackupRequestsTest {

  @TempDir
  Path directory;

  private final List<BackupType> asked = new CopyOnWriteArrayList<>();
  private BackupRequests requests;

  @AfterEach
  void close() {
    if (requests != null) {
      requests.close();
    }
  }

  @Test
  void aRequestedBackupIsAnsweredWithTheCommandsLineAndExitCode() throws IOException {
    Path socket = open(type -> made(type));

    assertThat(ask(socket, "backup diff"))
        .containsExactly("out diff backup 20261126-010000F of stanza main done in 2.0 s: 8.3KB, 964 files", "exit 0");
    assertThat(asked).containsExactly(BackupType.DIFF);
  }

  @Test
  void noTypeMeansFullAsOnTheCommandLine() throws IOException {
    Path socket = open(type -> made(type));

    assertThat(ask(socket, "backup ")).last().isEqualTo("exit 0");
    assertThat(ask(socket, "backup")).last().isEqualTo("exit 0");
    assertThat(asked).containsExactly(BackupType.FULL, BackupType.FULL);
  }

  @Test
  void anUnknownTypeOrRequestIsAUsageErrorAndMakesNoBackup() throws IOException {
    Path socket = open(type -> made(type));

    assertThat(ask(socket, "backup weekly")).containsExactly(
        "err pgcontainer backup: unknown backup type 'weekly': use one of full, diff, incr", "exit 2");
    assertThat(ask(socket, "backup full now")).containsExactly(
        "err pgcontainer backup: backup takes at most one argument, the type: full, diff, incr", "exit 2");
    assertThat(ask(socket, "restore")).last().isEqualTo("exit 2");
    assertThat(ask(socket, "backup " + "x".repeat(100))).last().isEqualTo("exit 2");
    assertThat(asked).isEmpty();
  }

  @Test
  void aFailedBackupGivesEveryLineOfItsMessageOnStderrAndExitOne() throws IOException {
    Path socket = open(type -> {
      throw new PgcontainerException("the full backup failed: this server is a standby\nrun it on the primary");
    });

    assertThat(ask(socket, "backup full")).containsExactly(
        "err pgcontainer backup: the full backup failed: this server is a standby", "err run it on the primary",
        "exit 1");
  }

  @Test
  void aClientThatSaysNothingHoldsUpNoOther() throws IOException {
    Path socket = open(type -> made(type));

    try (SocketChannel silent = connect(socket)) {
      assertThat(ask(socket, "backup incr")).last().isEqualTo("exit 0");
    }
  }

  @Test
  void theSocketIsTheServerUsersAloneReplacesALeftoverAndGoesOnClose() throws IOException {
    Path socket = directory.resolve(".s.pgcontainer-backup.5432");
    Files.writeString(socket, "left by a launcher that was killed");

    requests = BackupRequests.open(socket, type -> made(type));

    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(socket))).isEqualTo("rw-------");
    assertThat(ask(socket, "backup")).last().isEqualTo("exit 0");
    requests.close();
    assertThat(socket).doesNotExist();
  }

  private Path open(BackupRequests.Backups backups) throws IOException {
    Path socket = directory.resolve(".s.pgcontainer-backup.5432");
    requests = BackupRequests.open(socket, backups);
    return socket;
  }

  private OnDemandBackup.Outcome made(BackupType type) {
    asked.add(type);
    return new OnDemandBackup.Outcome(
        "main", type, "20261126-010000F", "8.3KB, 964 files", Duration.ofSeconds(2));
  }

  /** What the launcher answers {@code request}, line by line, as bin/pgcontainer's client reads it. */
  private static List<String> ask(Path socket, String request) throws IOException {
    try (SocketChannel channel = connect(socket)) {
      channel.write(ByteBuffer.wrap((request + "\n").getBytes(StandardCharsets.UTF_8)));
      BufferedReader answer =
          new BufferedReader(new InputStreamReader(Channels.newInputStream(channel), StandardCharsets.UTF_8));
      return answer.lines().collect(Collectors.toList());
    }
  }

  private static SocketChannel connect(Path socket) throws IOException {
    SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX);
    channel.connect(UnixDomainSocketAddress.of(socket));
    return channel;
  }
}
