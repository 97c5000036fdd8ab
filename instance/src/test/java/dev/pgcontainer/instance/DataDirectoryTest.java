package dev.pgcontainer.instance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pgcontainer.core.PgcontainerException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Setting a cluster aside for its replacement (a restore), and the pid-file check before touching
 * PGDATA.
 */
class DataDirectoryTest {

  @TempDir Path pgdata;

  private DataDirectory dataDirectory;

  @BeforeEach
  void fakeCluster() throws IOException {
    Files.writeString(pgdata.resolve("PG_VERSION"), "15\n");
    Files.createDirectories(pgdata.resolve("global"));
    Files.writeString(pgdata.resolve("global/pg_control"), "control");
    Files.writeString(pgdata.resolve("postgresql.auto.conf"), "# kept\n");
    dataDirectory = DataDirectory.at(pgdata);
  }

  @Test
  void aClusterSetAsideNoLongerPassesForAClusterAndTheErrorSaysHowToGoEitherWay()
      throws IOException {
    dataDirectory.setClusterAside();

    assertThat(entries(pgdata)).containsExactly(".pgcontainer-previous");
    assertThat(entries(dataDirectory.previousClusterDirectory()))
        .containsExactlyInAnyOrder("PG_VERSION", "global", "postgresql.auto.conf");
    assertThatThrownBy(() -> dataDirectory.inspect(15))
        .isInstanceOf(PgcontainerException.class)
        .hasMessageContaining(
            "holds .pgcontainer-previous, the cluster that was there before a restore")
        .hasMessageContaining("never deletes data")
        .hasMessageContaining("move the contents of .pgcontainer-previous up into PGDATA")
        .hasMessageContaining("to keep the restored cluster");
  }

  @Test
  void puttingTheClusterBackRemovesWhatWasMadeMeanwhile() throws IOException {
    dataDirectory.setClusterAside();
    Files.createDirectories(dataDirectory.initTarget().resolve("base"));
    Files.writeString(pgdata.resolve("half-moved"), "x");

    dataDirectory.putClusterBack();

    assertThat(entries(pgdata))
        .containsExactlyInAnyOrder("PG_VERSION", "global", "postgresql.auto.conf");
    assertThat(Files.readString(pgdata.resolve("global/pg_control"))).isEqualTo("control");
    assertThat(dataDirectory.inspect(15)).isEqualTo(DataDirectory.State.CLUSTER);
  }

  @Test
  void discardingTheClusterSetAsideLeavesTheReplacement() throws IOException {
    dataDirectory.setClusterAside();
    Files.writeString(pgdata.resolve("PG_VERSION"), "15\n");

    dataDirectory.discardClusterSetAside();

    assertThat(entries(pgdata)).containsExactly("PG_VERSION");
  }

  @Test
  void aHalfMadeClusterGoesWithTheContentsOfTheWalDirectoryItLinksTo(@TempDir Path root)
      throws IOException {
    Path wal = Files.createDirectories(root.resolve("wal"));
    Files.writeString(wal.resolve("000000010000000000000001"), "wal");
    Path cluster = Files.createDirectories(root.resolve("data/.pgcontainer-initdb"));
    Files.createSymbolicLink(cluster.resolve("pg_wal"), wal);

    DataDirectory.deleteHalfMadeCluster(cluster);

    assertThat(cluster).doesNotExist();
    assertThat(wal).isEmptyDirectory();
  }

  @Test
  void anInterruptedInitIsDiscardedWithItsWalWherePgWalWasAlreadyMoved(@TempDir Path root)
      throws IOException {
    Path wal = Files.createDirectories(root.resolve("wal"));
    Files.writeString(wal.resolve("000000010000000000000001"), "wal");
    Path data = Files.createDirectories(root.resolve("data"));
    Files.createDirectories(data.resolve(DataDirectory.INIT_DIRECTORY));
    Files.createSymbolicLink(data.resolve("pg_wal"), wal);
    DataDirectory interrupted = DataDirectory.at(data);
    assertThat(interrupted.inspect(15)).isEqualTo(DataDirectory.State.INTERRUPTED_INIT);

    interrupted.discardInterruptedInit();

    assertThat(data).isEmptyDirectory();
    assertThat(wal).isEmptyDirectory();
  }

  @Test
  void aPidFileNamingARunningProcessMeansARunningServer() throws IOException {
    Files.writeString(
        pgdata.resolve("postmaster.pid"), ProcessHandle.current().pid() + "\n" + pgdata + "\n");

    assertThatThrownBy(dataDirectory::requireNoRunningServer)
        .isInstanceOf(PgcontainerException.class)
        .hasMessageContaining("a server is running on PGDATA " + pgdata)
        .hasMessageContaining("stop it first")
        .hasMessageContaining("the file is stale: delete it");
  }

  @Test
  void aStaleOrMissingPidFileIsNoServer() throws Exception {
    assertThatCode(dataDirectory::requireNoRunningServer).doesNotThrowAnyException();
    // above Linux's largest pid_max (2^22), so no process can have it
    Files.writeString(pgdata.resolve("postmaster.pid"), (1 << 22) + 1 + "\n");

    assertThatCode(dataDirectory::requireNoRunningServer).doesNotThrowAnyException();
  }

  private static List<String> entries(Path directory) throws IOException {
    try (Stream<Path> list = Files.list(directory)) {
      return list.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }
}
