package dev.pgcontainer.health;

import dev.pgcontainer.core.Settings;
import dev.pgcontainer.core.Settings.DiskThreshold;
import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

/**
 * {@code disk}: free space of PGDATA's and PGLOG's file systems against {@code HEALTH_DISK_MIN_FREE}, with the size of
 * the WAL directory ({@code PGDATA/pg_wal}) and its growth since the previous check in the details. Space is what the
 * server's (unprivileged) user may use, not what only root may.
 */
final class DiskProbe implements Probe {

  static final String NAME = "disk";

  private final Path data;
  private final Path log;
  private final DiskThreshold threshold;
  private final AtomicReference<WalSample> previousWal = new AtomicReference<>();

  private DiskProbe(Path data, Path log, DiskThreshold threshold) {
    this.data = data;
    this.log = log;
    this.threshold = threshold;
  }

  static DiskProbe forSettings(Settings settings) {
    return new DiskProbe(
        settings.directories().data(), settings.directories().log(), settings.health().diskMinFree());
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public ProbeResult check() throws IOException {
    Map<String, Object> details = new LinkedHashMap<>();
    List<String> shortfalls = new ArrayList<>();
    List<String> summary = new ArrayList<>();
    FileStore dataStore = Files.getFileStore(nearestExisting(data));
    FileStore logStore = Files.getFileStore(nearestExisting(log));
    summary.add(examine("PGDATA", "data", data, dataStore, details, shortfalls));
    if (logStore.equals(dataStore)) {
      summary.add("PGLOG on the same file system");
    } else {
      summary.add(examine("PGLOG", "log", log, logStore, details, shortfalls));
    }
    walSize().ifPresent(wal -> {
      details.put("wal_bytes", wal.bytes());
      summary.add("WAL " + Sizes.human(wal.bytes()));
      WalSample before = previousWal.getAndSet(wal);
      if (before != null) {
        details.put("wal_growth_bytes", wal.bytes() - before.bytes());
        details.put("wal_growth_interval_seconds", (wal.nanos() - before.nanos()) / 1e9);
      }
    });
    if (!shortfalls.isEmpty()) {
      return ProbeResult.down(String.join("; ", shortfalls)).withDetails(details);
    }
    return ProbeResult.up(String.join(", ", summary)).withDetails(details);
  }

  private String examine(
      String variable, String key, Path path, FileStore store, Map<String, Object> details, List<String> shortfalls)
      throws IOException {
    long free = store.getUsableSpace();
    long total = store.getTotalSpace();
    details.put(key + "_path", path.toString());
    details.put(key + "_free_bytes", free);
    details.put(key + "_total_bytes", total);
    String freeShare = total == 0 ? "?" : String.format(Locale.ROOT, "%.0f%%", 100.0 * free / total);
    if (!threshold.isMet(free, total)) {
      shortfalls.add(variable + " " + path + " has " + Sizes.human(free) + " free of " + Sizes.human(total) + " ("
          + freeShare + "), less than HEALTH_DISK_MIN_FREE=" + describe(threshold)
          + ": free some space, grow the volume or lower HEALTH_DISK_MIN_FREE");
    }
    return variable + " " + freeShare + " free (" + Sizes.human(free) + ")";
  }

  static String describe(DiskThreshold threshold) {
    return threshold.percent().isPresent() ? threshold.percent().getAsInt() + "%" : Sizes.human(threshold.bytes());
  }

  /** The directory itself, or before it exists (first start) the ancestor it will be created in. */
  private static Path nearestExisting(Path path) {
    Path candidate = path.toAbsolutePath();
    while (candidate != null && !Files.exists(candidate)) {
      candidate = candidate.getParent();
    }
    return candidate == null ? Path.of("/") : candidate;
  }

  /** The bytes of the segment files in pg_wal; empty before initdb made it or when it cannot be read. */
  private Optional<WalSample> walSize() {
    Path wal = data.resolve("pg_wal");
    if (!Files.isDirectory(wal)) {
      return Optional.empty();
    }
    try (Stream<Path> entries = Files.list(wal)) {
      long bytes = entries.filter(Files::isRegularFile).mapToLong(DiskProbe::sizeOf).sum();
      return Optional.of(new WalSample(bytes, System.nanoTime()));
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  private static long sizeOf(Path file) {
    try {
      return Files.size(file);
    } catch (IOException e) {
      return 0; // a segment recycled between listing and reading
    }
  }

  private record WalSample(long bytes, long nanos) {}
}
