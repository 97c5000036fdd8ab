package dev.pgcontainer.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DiskProbeTest {

  private static final int SEGMENT = 16 * 1024 * 1024;

  @TempDir Path root;

  @Test
  void aThresholdAboveWhatIsFreeIsDownAndSaysWhatToDo() throws IOException {
    Files.createDirectories(root.resolve("data"));

    ProbeResult result = probe(Map.of("HEALTH_DISK_MIN_FREE", "100%")).check();

    assertThat(result.status()).isEqualTo(ProbeStatus.DOWN);
    assertThat(result.reason())
        .startsWith("PGDATA " + root.resolve("data") + " has ")
        .contains(
            "less than HEALTH_DISK_MIN_FREE=100%: free some space, grow the volume or lower HEALTH_DISK_MIN_FREE");
    assertThat(result.details()).containsKeys("data_free_bytes", "data_total_bytes");
  }

  @Test
  void aThresholdInBytesIsComparedWithFreeBytes() throws IOException {
    ProbeResult met = probe(Map.of("HEALTH_DISK_MIN_FREE", "1MB")).check();
    ProbeResult missed = probe(Map.of("HEALTH_DISK_MIN_FREE", "1000000TB")).check();

    assertThat(met.status()).isEqualTo(ProbeStatus.UP);
    assertThat(missed.status()).isEqualTo(ProbeStatus.DOWN);
    assertThat(missed.reason())
        .contains("less than HEALTH_DISK_MIN_FREE=" + Sizes.human(1_000_000L << 40));
  }

  @Test
  void beforePgdataExistsItsFutureFileSystemIsChecked() throws IOException {
    ProbeResult result = probe(Map.of("HEALTH_DISK_MIN_FREE", "0%")).check();

    assertThat(result.status()).isEqualTo(ProbeStatus.UP);
    assertThat(result.reason()).startsWith("PGDATA ").contains("PGLOG on the same file system");
    assertThat(result.details()).doesNotContainKey("wal_bytes");
  }

  @Test
  void walSizeAndGrowthSinceTheFirstCheckAreInTheDetails() throws IOException {
    Path wal = walDirectoryWithSegments(root.resolve("data/pg_wal"), 1);
    AtomicLong clock = new AtomicLong();
    DiskProbe probe = probe(Map.of(), clock);

    ProbeResult first = probe.check();
    clock.addAndGet(Duration.ofSeconds(10).toNanos());
    Files.write(wal.resolve(segmentName(2)), new byte[SEGMENT]);
    ProbeResult second = probe.check();

    assertThat(first.details())
        .containsEntry("wal_bytes", (long) SEGMENT)
        .doesNotContainKey("wal_growth_bytes");
    assertThat(first.reason()).endsWith("WAL 16.0 MiB");
    assertThat(second.details())
        .containsEntry("wal_bytes", 2L * SEGMENT)
        .containsEntry("wal_growth_bytes", (long) SEGMENT)
        .containsEntry("wal_growth_seconds", 10.0);
  }

  @Test
  void walGrowthCoversTheLastFiveMinutesOnly() throws IOException {
    Path wal = walDirectoryWithSegments(root.resolve("data/pg_wal"), 1);
    AtomicLong clock = new AtomicLong();
    DiskProbe probe = probe(Map.of(), clock);
    probe.check(); // at 0 s: 1 segment
    for (int segments = 2; segments <= 4; segments++) {
      Files.write(wal.resolve(segmentName(segments)), new byte[SEGMENT]);
      clock.set(Duration.ofSeconds(100L * (segments - 1)).toNanos());
      probe.check(); // at 100, 200, 300 s: 2, 3, 4 segments
    }
    Files.write(wal.resolve(segmentName(5)), new byte[SEGMENT]);
    clock.set(Duration.ofSeconds(400).toNanos());

    ProbeResult atFourHundredSeconds = probe.check();

    // from the check at 100 s (2 segments) to the one at 400 s (5 segments); older ones fell out of
    // the window
    assertThat(atFourHundredSeconds.details())
        .containsEntry("wal_growth_bytes", 3L * SEGMENT)
        .containsEntry("wal_growth_seconds", 300.0);
  }

  @Test
  void aWalDirectoryOnAnotherFileSystemIsCheckedAgainstTheThresholdToo() throws IOException {
    Path otherFileSystem = Path.of("/dev/shm");
    assumeTrue(
        Files.isDirectory(otherFileSystem)
            && !Files.getFileStore(otherFileSystem).equals(Files.getFileStore(root)),
        "needs /dev/shm on its own file system");
    Path elsewhere = Files.createTempDirectory(otherFileSystem, "pgc-disk-");
    try {
      // PGDATA and PGLOG on one file system, pg_wal linked to the other, as initdb --waldir makes
      // it
      Path data = Files.createDirectories(elsewhere.resolve("data"));
      Path wal = walDirectoryWithSegments(root.resolve("wal"), 1);
      Files.createSymbolicLink(data.resolve("pg_wal"), wal);
      Map<String, String> walOnRoot =
          Map.of("PGDATA", data.toString(), "PGLOG", elsewhere.resolve("log").toString());
      int rootShare = freeShare(root);
      int elsewhereShare = freeShare(elsewhere);
      assumeTrue(
          rootShare + 1 < elsewhereShare,
          "needs more free space (as a share) on /dev/shm than on " + root);
      String between = (rootShare + 1) + "%";

      ProbeResult met = probe(walOnRoot, new AtomicLong()).check();
      ProbeResult missed =
          probe(
                  Map.of(
                      "PGDATA",
                      data.toString(),
                      "PGLOG",
                      elsewhere.resolve("log").toString(),
                      "HEALTH_DISK_MIN_FREE",
                      between),
                  new AtomicLong())
              .check();

      assertThat(met.status()).isEqualTo(ProbeStatus.UP);
      assertThat(met.reason())
          .contains(", pg_wal " + rootShare + "% free (")
          .endsWith(", WAL 16.0 MiB");
      assertThat(met.details())
          .containsEntry("wal_path", wal.toRealPath().toString())
          .containsKeys("wal_free_bytes", "wal_total_bytes");
      assertThat(missed.status()).isEqualTo(ProbeStatus.DOWN);
      assertThat(missed.reason())
          .startsWith("pg_wal " + wal.toRealPath() + " has ")
          .contains("less than HEALTH_DISK_MIN_FREE=" + between)
          .doesNotContain("PGDATA");
    } finally {
      try (var paths = Files.walk(elsewhere)) {
        paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
      }
    }
  }

  @Test
  void aWalDirectoryOnPgdatasFileSystemIsNotCheckedTwice() throws IOException {
    walDirectoryWithSegments(root.resolve("data/pg_wal"), 1);

    ProbeResult result = probe(Map.of()).check();

    assertThat(result.reason())
        .matches("PGDATA \\d+% free \\([^)]+\\), PGLOG on the same file system, WAL 16\\.0 MiB");
    assertThat(result.details()).doesNotContainKey("wal_free_bytes");
  }

  private static Path walDirectoryWithSegments(Path wal, int segments) throws IOException {
    Files.createDirectories(wal.resolve("archive_status"));
    for (int segment = 1; segment <= segments; segment++) {
      Files.write(wal.resolve(segmentName(segment)), new byte[SEGMENT]);
    }
    return wal;
  }

  private static String segmentName(int number) {
    return String.format("0000000100000000%08X", number);
  }

  /**
   * Free space of {@code path}'s file system as a whole percentage, rounded as the probe shows it.
   */
  private static int freeShare(Path path) throws IOException {
    FileStore store = Files.getFileStore(path);
    return (int) Math.round(100.0 * store.getUsableSpace() / store.getTotalSpace());
  }

  private DiskProbe probe(Map<String, String> overrides, AtomicLong clock) {
    return DiskProbe.forSettings(TestSettings.under(root, 54329, overrides), clock::get);
  }

  private DiskProbe probe(Map<String, String> overrides) {
    return DiskProbe.forSettings(TestSettings.under(root, 54329, overrides));
  }
}
