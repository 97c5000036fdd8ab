package dev.pgcontainer.instance;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The start script's unpack is taken only when it is complete and the archive the start copies into
 * this PGDATA; otherwise it is removed, once, and never from under a cluster.
 */
class StagedUnpackTest {

  private static final Path ARCHIVE = Path.of("/templates/cluster-1.tar.zst");

  @TempDir Path directory;
  private Path pgdata;
  private Path initDirectory;

  @BeforeEach
  void unpacked() throws IOException {
    pgdata = Files.createDirectories(directory.resolve("data"));
    initDirectory = Files.createDirectory(DataDirectory.at(pgdata).initTarget());
    Files.writeString(initDirectory.resolve("PG_VERSION"), "15\n");
  }

  private StagedUnpack endedWith(String status) throws IOException {
    return new StagedUnpack(ARCHIVE, pgdata, Files.writeString(directory.resolve("fd4"), status));
  }

  @Test
  void aCompleteUnpackOfTheArchiveTheStartCopiesIsTakenOnce() throws IOException {
    StagedUnpack unpack = endedWith("exit 0\n");

    assertThat(unpack.take(Optional.of(ARCHIVE), pgdata)).isTrue();
    assertThat(unpack.take(Optional.of(ARCHIVE), pgdata)).as("a second time").isFalse();
    unpack.discard();
    assertThat(initDirectory).as("taken, so not discarded").exists();
  }

  @Test
  void anotherArchiveAnotherPgdataOrNoneRemoveTheUnpack() throws IOException {
    assertThat(
            endedWith("exit 0\n")
                .take(Optional.of(Path.of("/templates/cluster-2.tar.zst")), pgdata))
        .isFalse();
    assertThat(initDirectory).doesNotExist();

    unpacked();
    assertThat(endedWith("exit 0\n").take(Optional.of(ARCHIVE), directory)).isFalse();
    assertThat(initDirectory).doesNotExist();

    unpacked();
    assertThat(endedWith("exit 0\n").take(Optional.empty(), pgdata)).isFalse();
    assertThat(initDirectory).doesNotExist();
  }

  @Test
  void aFailedOrUnfinishedUnpackIsRemoved() throws IOException {
    assertThat(endedWith("tar: short read\nexit 2\n").take(Optional.of(ARCHIVE), pgdata)).isFalse();
    assertThat(initDirectory).doesNotExist();

    unpacked();
    assertThat(endedWith("").take(Optional.of(ARCHIVE), pgdata)).as("no status").isFalse();
    assertThat(initDirectory).doesNotExist();
  }

  @Test
  void aDiscardRemovesTheUnpackButNeverFromUnderACluster() throws IOException {
    endedWith("exit 0\n").discard();
    assertThat(initDirectory).doesNotExist();

    unpacked();
    Files.writeString(pgdata.resolve("PG_VERSION"), "15\n");
    endedWith("exit 0\n").discard();
    assertThat(initDirectory).exists();
  }

  @Test
  void onlyTheStartScriptsTwoVariablesMakeAnUnpack() {
    assertThat(StagedUnpack.fromEnvironment(Map.of())).isEmpty();
    assertThat(StagedUnpack.fromEnvironment(Map.of(StagedUnpack.ARCHIVE_VARIABLE, "/a.tar.zst")))
        .isEmpty();
    assertThat(
            StagedUnpack.fromEnvironment(
                Map.of(
                    StagedUnpack.ARCHIVE_VARIABLE,
                    "/a.tar.zst",
                    StagedUnpack.PGDATA_VARIABLE,
                    "/data")))
        .isPresent();
  }
}
