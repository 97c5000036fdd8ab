package dev.pgcontainer.process;

import dev.pgcontainer.core.PgcontainerException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * PGDATA and the protocol that keeps an interrupted initdb from ever looking like a good cluster: initdb writes into
 * {@value #INIT_DIRECTORY} inside PGDATA (PGDATA may be a mount point, so it cannot be renamed), the finished cluster
 * is moved up entry by entry with {@code PG_VERSION} last, and only then is the init directory removed. A PGDATA with
 * the init directory and no {@code PG_VERSION} is therefore a half-made cluster that the launcher made from an empty
 * directory, and can be discarded.
 */
public final class DataDirectory {

  static final String INIT_DIRECTORY = ".pgcontainer-initdb";
  private static final String VERSION_FILE = "PG_VERSION";

  /** What PGDATA holds. */
  public enum State {
    /** Missing or empty: initdb (or a restore) makes the cluster. */
    EMPTY,
    /** A complete cluster of the expected major version. */
    CLUSTER,
    /** An init that was interrupted: discard it, then init again. */
    INTERRUPTED_INIT
  }

  private final Path path;

  private DataDirectory(Path path) {
    this.path = path;
  }

  public static DataDirectory at(Path path) {
    return new DataDirectory(path);
  }

  public Path path() {
    return path;
  }

  /** Where initdb writes the new cluster before {@link #completeInit()} moves it into place. */
  public Path initTarget() {
    return path.resolve(INIT_DIRECTORY);
  }

  /**
   * Classifies PGDATA; a directory that holds something else, or a cluster of another major version, is an error that
   * says what to do: the launcher never deletes data it did not make.
   */
  public State inspect(int expectedMajorVersion) {
    if (!Files.isDirectory(path) || entries().isEmpty()) {
      return State.EMPTY;
    }
    boolean hasVersion = Files.exists(path.resolve(VERSION_FILE));
    if (Files.exists(initTarget())) {
      if (!hasVersion) {
        return State.INTERRUPTED_INIT;
      }
      deleteRecursively(initTarget()); // the move finished; only the empty init directory was left
    }
    if (!hasVersion) {
      throw new PgcontainerException(
          "PGDATA "
              + path
              + " is not empty but holds no PostgreSQL cluster (found: "
              + entries().stream().limit(5).collect(Collectors.joining(", "))
              + "). pgcontainer never deletes data: empty it, or point PGDATA to an empty directory (use a"
              + " subdirectory of the volume if it has lost+found).");
    }
    int major = majorVersion();
    if (major != expectedMajorVersion) {
      throw new PgcontainerException(
          "PGDATA "
              + path
              + " holds a PostgreSQL "
              + major
              + " cluster but this launcher runs PostgreSQL "
              + expectedMajorVersion
              + ": run the image of version "
              + major
              + ", or upgrade the cluster with pg_upgrade first.");
    }
    if (!Files.exists(path.resolve("global").resolve("pg_control"))) {
      throw new PgcontainerException(
          "PGDATA " + path + " has PG_VERSION but no global/pg_control: the cluster is damaged; restore it from a"
              + " backup (RESTORE_FROM_BACKUP=true) or move it aside.");
    }
    return State.CLUSTER;
  }

  /** The major version written in {@code PG_VERSION}. */
  public int majorVersion() {
    try {
      return Integer.parseInt(Files.readString(path.resolve(VERSION_FILE), StandardCharsets.US_ASCII).trim());
    } catch (IOException | NumberFormatException e) {
      throw new PgcontainerException("cannot read " + path.resolve(VERSION_FILE) + ": " + e.getMessage(), e);
    }
  }

  /** Removes what an interrupted init left; only valid in state {@link State#INTERRUPTED_INIT}. */
  public void discardInterruptedInit() {
    if (Files.exists(path.resolve(VERSION_FILE)) || !Files.exists(initTarget())) {
      throw new IllegalStateException("not an interrupted init: " + path);
    }
    for (String entry : entries()) {
      deleteRecursively(path.resolve(entry));
    }
  }

  /** Moves the cluster initdb made into PGDATA, {@code PG_VERSION} last, then removes the init directory. */
  public void completeInit() {
    Path source = initTarget();
    List<Path> moved = new ArrayList<>();
    try (DirectoryStream<Path> stream = Files.newDirectoryStream(source)) {
      for (Path entry : stream) {
        if (!entry.getFileName().toString().equals(VERSION_FILE)) {
          moved.add(entry);
        }
      }
      for (Path entry : moved) {
        Files.move(entry, path.resolve(entry.getFileName()), StandardCopyOption.ATOMIC_MOVE);
      }
      syncDirectory(path);
      Files.move(source.resolve(VERSION_FILE), path.resolve(VERSION_FILE), StandardCopyOption.ATOMIC_MOVE);
      syncDirectory(path);
      Files.delete(source);
    } catch (IOException e) {
      throw new PgcontainerException("could not move the new cluster into " + path + ": " + e.getMessage(), e);
    }
  }

  private List<String> entries() {
    try (Stream<Path> list = Files.list(path)) {
      return list.map(p -> p.getFileName().toString()).sorted().collect(Collectors.toList());
    } catch (IOException e) {
      throw new PgcontainerException("cannot list PGDATA " + path + ": " + e.getMessage(), e);
    }
  }

  private static void syncDirectory(Path directory) throws IOException {
    try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
      channel.force(true);
    }
  }

  static void deleteRecursively(Path root) {
    if (!Files.exists(root, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    try {
      Files.walkFileTree(
          root,
          new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
              Files.delete(file);
              return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException exc) throws IOException {
              if (exc != null) {
                throw exc;
              }
              Files.delete(dir);
              return FileVisitResult.CONTINUE;
            }
          });
    } catch (IOException e) {
      throw new PgcontainerException("could not delete " + root + ": " + e.getMessage(), e);
    }
  }
}
