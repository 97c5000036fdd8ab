package dev.pgcontainer.instance;

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
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * PGDATA and the protocol that keeps an interrupted initdb from ever looking like a good cluster:
 * initdb writes into {@value #INIT_DIRECTORY} inside PGDATA (PGDATA may be a mount point, so it
 * cannot be renamed), the finished cluster is moved up entry by entry with {@code PG_VERSION} last,
 * and only then is the init directory removed. A PGDATA with the init directory and no {@code
 * PG_VERSION} is therefore a half-made cluster that the launcher made from an empty directory, and
 * can be discarded.
 */
public final class DataDirectory {

  static final String INIT_DIRECTORY = ".pgcontainer-initdb";
  private static final String POSTMASTER_PID = "postmaster.pid";

  /**
   * Where {@link #setClusterAside()} keeps the cluster a restore replaces: inside PGDATA, on the
   * same file system, so that setting it aside and back are renames even when PGDATA is a mount
   * point (a sibling directory would then be on another file system, and moving would copy the
   * whole cluster).
   */
  static final String PREVIOUS_CLUSTER_DIRECTORY = ".pgcontainer-previous";

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
   * Classifies PGDATA; a directory that holds something else, or a cluster of another major
   * version, is an error that says what to do: the launcher never deletes data it did not make.
   */
  public State inspect(int expectedMajorVersion) {
    if (!Files.isDirectory(path) || entries().isEmpty()) {
      return State.EMPTY;
    }
    if (Files.exists(previousClusterDirectory())) {
      throw new PgcontainerException(
          "PGDATA "
              + path
              + " holds "
              + PREVIOUS_CLUSTER_DIRECTORY
              + ", the cluster that was there before a restore"
              + " that did not finish. pgcontainer never deletes data: to go back to that cluster, delete every other"
              + " entry of PGDATA and move the contents of "
              + PREVIOUS_CLUSTER_DIRECTORY
              + " up into PGDATA; to keep"
              + " the restored cluster (PGDATA has PG_VERSION), delete "
              + PREVIOUS_CLUSTER_DIRECTORY
              + ".");
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
          "PGDATA "
              + path
              + " has PG_VERSION but no global/pg_control: the cluster is damaged; restore it from a"
              + " backup (RESTORE_FROM_BACKUP=true) or move it aside.");
    }
    return State.CLUSTER;
  }

  /** The major version written in {@code PG_VERSION}. */
  public int majorVersion() {
    try {
      return Integer.parseInt(
          Files.readString(path.resolve(VERSION_FILE), StandardCharsets.US_ASCII).trim());
    } catch (IOException | NumberFormatException e) {
      throw new PgcontainerException(
          "cannot read " + path.resolve(VERSION_FILE) + ": " + e.getMessage(), e);
    }
  }

  /** Removes what an interrupted init left; only valid in state {@link State#INTERRUPTED_INIT}. */
  public void discardInterruptedInit() {
    if (Files.exists(path.resolve(VERSION_FILE)) || !Files.exists(initTarget())) {
      throw new IllegalStateException("not an interrupted init: " + path);
    }
    emptyLinkedWalDirectory(initTarget());
    emptyLinkedWalDirectory(path);
    for (String entry : entries()) {
      deleteRecursively(path.resolve(entry));
    }
  }

  /**
   * Deletes {@code cluster}, a cluster directory that was being made, with the contents of the WAL
   * directory its {@code pg_wal} links to (initdb's {@code --waldir}), which initdb would otherwise
   * refuse next time as not empty.
   */
  static void deleteHalfMadeCluster(Path cluster) {
    emptyLinkedWalDirectory(cluster);
    deleteRecursively(cluster);
  }

  private static void emptyLinkedWalDirectory(Path cluster) {
    Path wal = cluster.resolve("pg_wal");
    if (!Files.isSymbolicLink(wal)) {
      return;
    }
    try (Stream<Path> entries = Files.list(cluster.resolve(Files.readSymbolicLink(wal)))) {
      entries.forEach(DataDirectory::deleteRecursively);
    } catch (IOException e) {
      throw new PgcontainerException(
          "could not empty the WAL directory " + wal + " links to: " + e.getMessage(), e);
    }
  }

  /**
   * Moves the cluster initdb made into PGDATA, {@code PG_VERSION} last, then removes the init
   * directory.
   */
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
      Files.move(
          source.resolve(VERSION_FILE), path.resolve(VERSION_FILE), StandardCopyOption.ATOMIC_MOVE);
      syncDirectory(path);
      Files.delete(source);
    } catch (IOException e) {
      throw new PgcontainerException(
          "could not move the new cluster into " + path + ": " + e.getMessage(), e);
    }
  }

  /**
   * Refuses when {@code postmaster.pid} names a process that is running: a server uses PGDATA, and
   * nothing may change under it.
   */
  public void requireNoRunningServer() {
    Path pidFile = path.resolve(POSTMASTER_PID);
    long pid;
    try {
      pid = Long.parseLong(Files.readAllLines(pidFile, StandardCharsets.US_ASCII).get(0).trim());
    } catch (IOException | RuntimeException e) {
      return; // no pid file, or one without a pid: the server would not start with it either
    }
    if (ProcessHandle.of(pid).filter(ProcessHandle::isAlive).isPresent()) {
      throw new PgcontainerException(
          "a server is running on PGDATA "
              + path
              + " ("
              + pidFile
              + " names process "
              + pid
              + ", which runs): stop it"
              + " first (SIGTERM to pgcontainer run, or stop the container and run this command in a new one with the"
              + " same volumes). If process "
              + pid
              + " is not PostgreSQL, the file is stale: delete it");
    }
  }

  /** Where {@link #setClusterAside()} keeps the previous cluster. */
  public Path previousClusterDirectory() {
    return path.resolve(PREVIOUS_CLUSTER_DIRECTORY);
  }

  /**
   * Moves every entry of PGDATA into {@link #previousClusterDirectory()}, {@code PG_VERSION} first:
   * from the first rename on, PGDATA no longer passes for a cluster, and {@link #inspect} explains
   * what happened.
   */
  public void setClusterAside() {
    Path previous = previousClusterDirectory();
    try {
      Files.createDirectory(
          previous,
          PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
      // owned like PGDATA, should the launcher run as root
      Files.setAttribute(previous, "unix:uid", Files.getAttribute(path, "unix:uid"));
      Files.setAttribute(previous, "unix:gid", Files.getAttribute(path, "unix:gid"));
      List<String> entries = new ArrayList<>(entries());
      entries.remove(PREVIOUS_CLUSTER_DIRECTORY);
      if (entries.remove(VERSION_FILE)) {
        entries.add(0, VERSION_FILE);
      }
      for (String entry : entries) {
        Files.move(path.resolve(entry), previous.resolve(entry), StandardCopyOption.ATOMIC_MOVE);
      }
      syncDirectory(previous);
      syncDirectory(path);
    } catch (IOException e) {
      throw new PgcontainerException(
          "could not set the cluster in "
              + path
              + " aside into "
              + previous
              + ": "
              + e.getMessage()
              + "; what was moved is in "
              + previous,
          e);
    }
  }

  /**
   * Removes everything else from PGDATA and moves the cluster set aside back, {@code PG_VERSION}
   * last.
   */
  public void putClusterBack() {
    Path previous = previousClusterDirectory();
    for (String entry : entries()) {
      if (!entry.equals(PREVIOUS_CLUSTER_DIRECTORY)) {
        deleteRecursively(path.resolve(entry));
      }
    }
    try (Stream<Path> list = Files.list(previous)) {
      List<Path> entries =
          list.sorted((a, b) -> Boolean.compare(a.endsWith(VERSION_FILE), b.endsWith(VERSION_FILE)))
              .toList();
      for (Path entry : entries) {
        Files.move(entry, path.resolve(entry.getFileName()), StandardCopyOption.ATOMIC_MOVE);
      }
      syncDirectory(path);
      Files.delete(previous);
    } catch (IOException e) {
      throw new PgcontainerException(
          "could not move the cluster set aside in "
              + previous
              + " back into "
              + path
              + ": "
              + e.getMessage(),
          e);
    }
  }

  /** Deletes the cluster set aside, once the cluster that replaced it has proved itself. */
  public void discardClusterSetAside() {
    deleteRecursively(previousClusterDirectory());
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
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs)
                throws IOException {
              Files.delete(file);
              return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException exc)
                throws IOException {
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
