package dev.pgcontainer.health;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pgcontainer.instance.Phase;
import dev.pgcontainer.instance.RunState;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the launcher's metrics take from the reports of its checks (an initialising run: no server
 * is asked).
 */
class HealthMetricsTest {

  @TempDir Path root;

  @Test
  void theWalDirectorysSizeIsTheLastOneTheDiskCheckSaw() {
    HealthMetrics metrics =
        new HealthMetrics(
            new RunState(),
            ServerConnection.forSettings(
                TestSettings.under(root, 54329, Map.of()), Duration.ofSeconds(1)),
            new ServerRestarts());

    metrics.record(reportWithWalBytes(16L << 20));
    metrics.record(reportWithWalBytes(48L << 20));

    assertThat(new String(metrics.scrape(), StandardCharsets.UTF_8))
        .contains(
            "# TYPE pgcontainer_wal_directory_bytes gauge\npgcontainer_wal_directory_bytes 5.0331648E7\n");
  }

  private static HealthReport reportWithWalBytes(long bytes) {
    ProbeResult disk =
        ProbeResult.up("PGDATA 50% free").withDetails(Map.of(DiskProbe.WAL_BYTES, bytes));
    return new HealthReport(
        Phase.INITIALISING,
        ProbeStatus.UP,
        true,
        false,
        Instant.now(),
        Map.of(DiskProbe.NAME, disk));
  }
}
