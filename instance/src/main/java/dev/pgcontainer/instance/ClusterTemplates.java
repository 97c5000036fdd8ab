package dev.pgcontainer.instance;

import dev.pgcontainer.core.PgcontainerException;
import dev.pgcontainer.supervision.ProcessSpec;
import dev.pgcontainer.supervision.Supervisor;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.zip.CRC32C;

/**
 * A directory of cluster templates: clusters made ahead (at image build time) by initdb and the
 * database of {@code POSTGRES_DB}, exactly as a first start makes them, each kept as a
 * zstd-compressed tar archive beside the key it was made for. A first start whose key is the same
 * unpacks the archive instead of running initdb (0.1-0.6 s instead of 0.6-2 s), then gives the copy
 * an identity of its own ({@link ClusterIdentity}). The key holds everything that shapes what
 * initdb makes: the server's version, initdb's arguments but the target (superuser, authentication,
 * encoding, locale and whatever POSTGRES_INITDB_ARGS adds), the database, and the time zone initdb
 * would pick up (TZ, TZDIR, /etc/localtime). Any difference, and initdb runs as without templates.
 */
public final class ClusterTemplates {

  private static final String ARCHIVE_SUFFIX = ".tar.zst";
  private static final String KEY_SUFFIX = ".key";
  private static final Path LOCALTIME = Path.of("/etc/localtime");

  private final Path directory;
  private final Optional<StagedUnpack> staged;

  private ClusterTemplates(Path directory, Optional<StagedUnpack> staged) {
    this.directory = directory;
    this.staged = staged;
  }

  public static ClusterTemplates in(Path directory) {
    return new ClusterTemplates(directory, Optional.empty());
  }

  /**
   * These templates, one of which the start script may have begun to unpack into PGDATA ({@link
   * StagedUnpack}).
   */
  public ClusterTemplates withStagedUnpack(StagedUnpack unpack) {
    return new ClusterTemplates(directory, Optional.of(unpack));
  }

  Optional<StagedUnpack> staged() {
    return staged;
  }

  public Path directory() {
    return directory;
  }

  /**
   * The key of a cluster made by {@code initdbArguments} (without the target directory) with {@code
   * database}, by the server of {@code version}, whose children see {@code childEnvironment}.
   */
  static String key(
      String version,
      List<String> initdbArguments,
      String database,
      Map<String, String> childEnvironment) {
    StringBuilder key = new StringBuilder("postgresql ").append(version).append('\n');
    initdbArguments.forEach(argument -> key.append("initdb ").append(argument).append('\n'));
    key.append("database ").append(database).append('\n');
    for (String variable : List.of("TZ", "TZDIR")) {
      key.append(variable)
          .append(' ')
          .append(childEnvironment.getOrDefault(variable, "(unset)"))
          .append('\n');
    }
    return key.append(LOCALTIME).append(' ').append(localtime()).append('\n').toString();
  }

  /**
   * What /etc/localtime is: the zone it links to, or a checksum of a copied zone file (a mount of
   * the host's).
   */
  private static String localtime() {
    try {
      if (Files.isSymbolicLink(LOCALTIME)) {
        return "-> " + Files.readSymbolicLink(LOCALTIME);
      }
      CRC32C crc = new CRC32C();
      crc.update(Files.readAllBytes(LOCALTIME));
      return "crc32c " + Long.toHexString(crc.getValue());
    } catch (NoSuchFileException e) {
      return "(none)";
    } catch (IOException e) {
      return "(unreadable: " + e.getMessage() + ")";
    }
  }

  /** The archive made for {@code key}, if this directory has one. */
  Optional<Path> matching(String key) {
    Path keyFile = directory.resolve(fileName(key) + KEY_SUFFIX);
    Path archive = archive(key);
    try {
      if (Files.readString(keyFile, StandardCharsets.UTF_8).equals(key)
          && Files.isRegularFile(archive)) {
        return Optional.of(archive);
      }
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException e) {
      throw new PgcontainerException(
          "cannot read the cluster template key " + keyFile + ": " + e.getMessage(), e);
    }
    return Optional.empty();
  }

  /** Named after the key's checksum, so that a lookup reads one small file. */
  private static String fileName(String key) {
    CRC32C crc = new CRC32C();
    crc.update(key.getBytes(StandardCharsets.UTF_8));
    return "cluster-" + String.format("%08x", crc.getValue());
  }

  /**
   * Keeps the cluster in {@code cluster} (made by initdb, shut down cleanly) as the template for
   * {@code key}: a tar archive compressed by zstd, in the order of names, made by the launcher's
   * own user (the directory may be root's in an image build), then the key beside it.
   */
  void store(
      Path cluster,
      String key,
      Supervisor supervisor,
      Map<String, String> childEnvironment,
      Duration timeout) {
    Path keyFile = directory.resolve(fileName(key) + KEY_SUFFIX);
    try {
      Files.createDirectories(directory);
      supervisor.run(
          ProcessSpec.builder()
              .name("tar")
              .environment(childEnvironment)
              .command(
                  List.of(
                      "tar",
                      "--create",
                      "--zstd",
                      "--sort=name",
                      "--file",
                      archive(key).toString(),
                      "--directory",
                      cluster.toString(),
                      "."))
              .build(),
          timeout);
      Files.writeString(keyFile, key, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new PgcontainerException(
          "could not keep the cluster template " + keyFile + ": " + e.getMessage(), e);
    }
  }

  /**
   * The command that unpacks {@code archive} into {@code target} (an empty directory), keeping the
   * modes initdb gave; zstd unpacks the 40 MB of a new cluster about as fast as cp copies them,
   * from a tenth of the size. In 1 MB records (a WAL segment in 16 writes, not 1,600) and with the
   * files' times those of the copy, as they would be those of initdb's run: a quarter of the system
   * calls.
   */
  static List<String> unpackCommand(Path archive, Path target) {
    return List.of(
        "tar",
        "--extract",
        "--zstd",
        "--preserve-permissions",
        "--touch",
        "--blocking-factor=2048",
        "--read-full-records",
        "--file",
        archive.toString(),
        "--directory",
        target.toString());
  }

  private Path archive(String key) {
    return directory.resolve(fileName(key) + ARCHIVE_SUFFIX);
  }
}
