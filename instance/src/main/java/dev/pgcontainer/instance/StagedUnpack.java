package dev.pgcontainer.instance;

import java.io.BufferedReader;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A cluster template the start script ({@code bin/pgcontainer}) began to unpack into PGDATA's init
 * directory before the JVM started, so that the unpack runs while the JVM starts: a first start
 * whose PGDATA was an empty directory and whose environment most likely needs that template. The
 * script names the archive in {@value #ARCHIVE_VARIABLE} and PGDATA in {@value #PGDATA_VARIABLE},
 * and tar's output, then {@code exit CODE}, arrive on the JVM's descriptor 4 once tar has ended.
 *
 * <p>Settled once: the first start that copies this very archive into this PGDATA takes it;
 * anything else (another template, a failed unpack, a start that makes no cluster, a configuration
 * error) waits for tar's end and removes the init directory, leaving PGDATA as it was.
 */
public final class StagedUnpack {

  private static final Logger LOG = LoggerFactory.getLogger(StagedUnpack.class);

  static final String ARCHIVE_VARIABLE = "PGCONTAINER_STAGED_TEMPLATE";
  static final String PGDATA_VARIABLE = "PGCONTAINER_STAGED_PGDATA";
  private static final Path STATUS = Path.of("/proc/self/fd/4");
  private static final String EXIT_PREFIX = "exit ";

  private final Path archive;
  private final DataDirectory dataDirectory;
  private final Path status;
  private final AtomicBoolean settled = new AtomicBoolean();

  StagedUnpack(Path archive, Path pgdata, Path status) {
    this.archive = archive;
    this.dataDirectory = DataDirectory.at(pgdata);
    this.status = status;
  }

  /** The unpack the start script began for the launcher of {@code environment}, if any. */
  public static Optional<StagedUnpack> fromEnvironment(Map<String, String> environment) {
    String archive = environment.get(ARCHIVE_VARIABLE);
    String pgdata = environment.get(PGDATA_VARIABLE);
    if (archive == null || pgdata == null || archive.isEmpty() || pgdata.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(new StagedUnpack(Path.of(archive), Path.of(pgdata), STATUS));
  }

  /**
   * Takes the unpack when it is complete and is {@code wanted} (the archive the start copies) in
   * {@code pgdata}: the init directory then holds that archive's cluster. Otherwise removes it;
   * false then, and on every call after the first.
   */
  boolean take(Optional<Path> wanted, Path pgdata) {
    if (!settled.compareAndSet(false, true)) {
      return false;
    }
    boolean unpacked = awaitUnpack();
    if (unpacked && wanted.equals(Optional.of(archive)) && pgdata.equals(dataDirectory.path())) {
      return true;
    }
    if (unpacked) {
      LOG.info(
          "the start script unpacked {} into {}, but this start {}: removing it",
          archive,
          dataDirectory.initTarget(),
          wanted.map(other -> "copies " + other).orElse("copies no template there"));
    }
    remove();
    return false;
  }

  /**
   * Removes the unpack unless a start took it, once tar has ended (e.g. after a configuration
   * error), so that PGDATA is as it was.
   */
  public void discard() {
    if (settled.compareAndSet(false, true)) {
      awaitUnpack();
      if (remove()) {
        LOG.info(
            "removed {}, the start script's unpack of {}", dataDirectory.initTarget(), archive);
      }
    }
  }

  /** Waits for tar's end; true when it unpacked the whole archive. */
  private boolean awaitUnpack() {
    List<String> output = new ArrayList<>();
    try (BufferedReader reader =
        new BufferedReader(
            new InputStreamReader(new FileInputStream(status.toFile()), StandardCharsets.UTF_8))) {
      for (String line = reader.readLine(); line != null; line = reader.readLine()) {
        output.add(line);
      }
    } catch (IOException e) {
      LOG.warn(
          "cannot read how the start script's unpack of {} ended: {}", archive, e.getMessage());
      return false;
    }
    String last = output.isEmpty() ? "" : output.remove(output.size() - 1);
    if (last.equals(EXIT_PREFIX + "0")) {
      return true;
    }
    LOG.warn(
        "the start script's unpack of {} failed ({}){}",
        archive,
        last.startsWith(EXIT_PREFIX) ? "tar " + last : "it gave no exit status",
        output.isEmpty() ? "" : ": " + String.join(" / ", output));
    return false;
  }

  /**
   * Removes the init directory, unless PGDATA holds a cluster (then it is not the unpack's any
   * more); true when it did.
   */
  private boolean remove() {
    Path target = dataDirectory.initTarget();
    if (Files.exists(target) && !Files.exists(dataDirectory.path().resolve("PG_VERSION"))) {
      DataDirectory.deleteHalfMadeCluster(target);
      return true;
    }
    return false;
  }
}
