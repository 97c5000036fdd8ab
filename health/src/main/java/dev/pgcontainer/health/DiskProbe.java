package dev.pgcontainer.health;

import dev.pgcontainer.core.Settings;
import dev.pgcontainer.core.Settings.DiskThreshold;
import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongSupplier;
import java.util.stream.Stream;

/**
 * {@code disk}: free space of the file systems of PGDATA, PGLOG and the WAL directory
 * (PGDATA/pg_wal, or where it links to, as {@code initdb --waldir} makes it) against {@code
 * HEALTH_DISK_MIN_FREE}, with the WAL directory's size and its growth over the last {@link
 * #GROWTH_WINDOW} in the details. Space is what the server's (unprivileged) user may use, not what
 * only root may.
 */
final class DiskProbe implements Probe {

  static final String NAME = "disk";

  /** The details' key of the WAL directory's size. */
  static final String WAL_BYTES = "wal_bytes";

  /**
   * How far back WAL growth is measured: long enough to smooth out checkpoints, short enough to
   * show a trend.
   */
  static final Duration GROWTH_WINDOW = Duration.ofMinutes(5);

  private final Path data;
  private final Path log;
  private final DiskThreshold threshold;
  private final LongSupplier nanoTime;
  private final Deque<WalSample> walSamples = new ArrayDeque<>(); // guarded by itself, oldest first

  private DiskProbe(Path data, Path log, DiskThreshold threshold, LongSupplier nanoTime) {
    this.data = data;
    this.log = log;
    this.threshold = threshold;
    this.nanoTime = nanoTime;
  }

  static DiskProbe forSettings(Settings settings) {
    return forSettings(settings, System::nanoTime);
  }

  /** With the clock WAL growth is timed by. */
  static DiskProbe forSettings(Settings settings, LongSupplier nanoTime) {
    return new DiskProbe(
        settings.directories().data(),
        settings.directories().log(),
        settings.health().diskMinFree(),
        nanoTime);
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
    Optional<Path> walDirectory = walDirectory();
    if (walDirectory.isPresent()) {
      FileStore walStore = Files.getFileStore(walDirectory.get());
      if (!walStore.equals(dataStore) && !walStore.equals(logStore)) {
        summary.add(examine("pg_wal", "wal", walDirectory.get(), walStore, details, shortfalls));
      }
      walSize(walDirectory.get())
          .ifPresent(
              bytes -> {
                details.put(WAL_BYTES, bytes);
                summary.add("WAL " + Sizes.human(bytes));
                growth(new WalSample(bytes, nanoTime.getAsLong()))
                    .ifPresent(
                        growth -> {
                          details.put("wal_growth_bytes", growth.bytes());
                          details.put("wal_growth_seconds", growth.nanos() / 1e9);
                        });
              });
    }
    if (!shortfalls.isEmpty()) {
      return ProbeResult.down(String.join("; ", shortfalls)).withDetails(details);
    }
    return ProbeResult.up(String.join(", ", summary)).withDetails(details);
  }

  /**
   * Notes {@code latest} and returns the WAL's growth since the oldest sample within {@link
   * #GROWTH_WINDOW}; empty at the first sample.
   */
  private Optional<WalSample> growth(WalSample latest) {
    synchronized (walSamples) {
      walSamples.addLast(latest);
      while (latest.nanos() - walSamples.peekFirst().nanos() > GROWTH_WINDOW.toNanos()) {
        walSamples.removeFirst();
      }
      WalSample oldest = walSamples.peekFirst();
      return oldest == latest
          ? Optional.empty()
          : Optional.of(
              new WalSample(latest.bytes() - oldest.bytes(), latest.nanos() - oldest.nanos()));
    }
  }

  private String examine(
      String variable,
      String key,
      Path path,
      FileStore store,
      Map<String, Object> details,
      List<String> shortfalls)
      throws IOException {
    long free = store.getUsableSpace();
    long total = store.getTotalSpace();
    details.put(key + "_path", path.toString());
    details.put(key + "_free_bytes", free);
    details.put(key + "_total_bytes", total);
    String freeShare =
        total == 0 ? "?" : String.format(Locale.ROOT, "%.0f%%", 100.0 * free / total);
    if (!threshold.isMet(free, total)) {
      shortfalls.add(
          variable
              + " "
              + path
              + " has "
              + Sizes.human(free)
              + " free of "
              + Sizes.human(total)
              + " ("
              + freeShare
              + "), less than HEALTH_DISK_MIN_FREE="
              + describe(threshold)
              + ": free some space, grow the volume or lower HEALTH_DISK_MIN_FREE");
    }
    return variable + " " + freeShare + " free (" + Sizes.human(free) + ")";
  }

  static String describe(DiskThreshold threshold) {
    return threshold.percent().isPresent()
        ? threshold.percent().getAsInt() + "%"
        : Sizes.human(threshold.bytes());
  }

  /** The directory itself, or before it exists (first start) the ancestor it will be created in. */
  private static Path nearestExisting(Path path) {
    Path candidate = path.toAbsolutePath();
    while (candidate != null && !Files.exists(candidate)) {
      candidate = candidate.getParent();
    }
    return candidate == null ? Path.of("/") : candidate;
  }

  /** PGDATA/pg_wal, or the directory it links to; empty before initdb made it. */
  private Optional<Path> walDirectory() throws IOException {
    Path wal = data.resolve("pg_wal");
    return Files.isDirectory(wal) ? Optional.of(wal.toRealPath()) : Optional.empty();
  }

  /** The bytes of the segment files in the WAL directory; empty when it cannot be read. */
  private static Optional<Long> walSize(Path walDirectory) {
    try (Stream<Path> entries = Files.list(walDirectory)) {
      return Optional.of(entries.filter(Files::isRegularFile).mapToLong(DiskProbe::sizeOf).sum());
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

  /** A size of the WAL directory and when it was taken, or a difference of two. */
  private record WalSample(long bytes, long nanos) {}
}
