package dev.pgcontainer.health;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DiskProbeTest {

  private static final int SEGMENT = 16 * 1024 * 1024;

  @TempDir
  Path root;

  @Test
  void aThresholdAboveWhatIsFreeIsDownAndSaysWhatToDo() throws IOException {
    Files.createDirectories(root.resolve("data"));

    ProbeResult result = probe(Map.of("HEALTH_DISK_MIN_FREE", "100%")).check();

    assertThat(result.status()).isEqualTo(ProbeStatus.DOWN);
    assertThat(result.reason())
        .startsWith("PGDATA " + root.resolve("data") + " has ")
        .contains("less than HEALTH_DISK_MIN_FREE=100%: free some space, grow the volume or lower HEALTH_DISK_MIN_FREE");
    assertThat(result.details()).containsKeys("data_free_bytes", "data_total_bytes");
  }

  @Test
  void aThresholdInBytesIsComparedWithFreeBytes() throws IOException {
    ProbeResult met = probe(Map.of("HEALTH_DISK_MIN_FREE", "1MB")).check();
    ProbeResult missed = probe(Map.of("HEALTH_DISK_MIN_FREE", "1000000TB")).check();

    assertThat(met.status()).isEqualTo(ProbeStatus.UP);
    assertThat(missed.status()).isEqualTo(ProbeStatus.DOWN);
    assertThat(missed.reason()).contains("less than HEALTH_DISK_MIN_FREE=" + Sizes.human(1_000_000L << 40));
  }

  @Test
  void beforePgdataExistsItsFutureFileSystemIsChecked() throws IOException {
    ProbeResult result = probe(Map.of("HEALTH_DISK_MIN_FREE", "0%")).check();

    assertThat(result.status()).isEqualTo(ProbeStatus.UP);
    assertThat(result.reason()).startsWith("PGDATA ").contains("PGLOG on the same file system");
    assertThat(result.details()).doesNotContainKey("wal_bytes");
  }

  @Test
  void walSizeAndGrowthSinceThePreviousCheckAreInTheDetails() throws IOException {
    Path wal = Files.createDirectories(root.resolve("data/pg_wal"));
    Files.createDirectories(wal.resolve("archive_status"));
    Files.write(wal.resolve("000000010000000000000001"), new byte[SEGMENT]);
    DiskProbe probe = probe(Map.of());

    ProbeResult first = probe.check();
    Files.write(wal.resolve("000000010000000000000002"), new byte[SEGMENT]);
    ProbeResult second = probe.check();

    assertThat(first.details()).containsEntry("wal_bytes", (long) SEGMENT).doesNotContainKey("wal_growth_bytes");
    assertThat(first.reason()).endsWith("WAL 16.0 MiB");
    assertThat(second.details()).containsEntry("wal_bytes", 2L * SEGMENT)
        .containsEntry("wal_growth_bytes", (long) SEGMENT)
        .containsKey("wal_growth_interval_seconds");
  }

  private DiskProbe probe(Map<String, String> overrides) {
    return DiskProbe.forSettings(TestSettings.under(root, 54329, overrides));
  }
}
