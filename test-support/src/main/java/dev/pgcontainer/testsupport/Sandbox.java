package dev.pgcontainer.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Where a test runs a real server: a temporary root that the server's OS user can traverse, the
 * usual places for PGDATA, PGCONFIG, PGLOG and PGSOCKET below it, and a free port (for 127.0.0.1).
 * {@link #close()} runs the cleanups registered with {@link #beforeDeletion} (stop the servers,
 * kill leftovers), last first, then deletes the root.
 *
 * <p>postgres refuses root: when the tests run as root, the server runs as {@value
 * #SERVER_OS_USER}, which must own what it writes ({@link #serverUsersDirectory}, {@link
 * #chownToServerUser}).
 */
public final class Sandbox implements AutoCloseable {

  /** The OS user a server runs as when the tests run as root. */
  public static final String SERVER_OS_USER = "postgres";

  private final Path root;
  private final int port;
  private final Deque<Runnable> cleanups = new ArrayDeque<>();

  private Sandbox(Path root, int port) {
    this.root = root;
    this.port = port;
  }

  /**
   * A new sandbox whose root's name starts with {@code prefix}; nothing is created below the root.
   */
  public static Sandbox create(String prefix) {
    try {
      Path root = Files.createTempDirectory(prefix).toRealPath();
      Files.setPosixFilePermissions(root, PosixFilePermissions.fromString("rwxr-xr-x"));
      return new Sandbox(root, FreePorts.next());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public Path root() {
    return root;
  }

  public Path data() {
    return root.resolve("data");
  }

  public Path config() {
    return root.resolve("config");
  }

  public Path log() {
    return root.resolve("log");
  }

  public Path socket() {
    return root.resolve("socket");
  }

  /** The sandbox's own port, free when it was made; {@link FreePorts#next()} gives more. */
  public int port() {
    return port;
  }

  /** Whether the tests run as root, so that the server runs as {@link #SERVER_OS_USER}. */
  public static boolean runsAsRoot() {
    return "root".equals(System.getProperty("user.name"));
  }

  /**
   * The OS user the tests' servers run as: {@link #SERVER_OS_USER} under root, else the tests' own
   * user.
   */
  public static String serverOsUser() {
    return runsAsRoot() ? SERVER_OS_USER : System.getProperty("user.name");
  }

  /**
   * A new directory {@code root/name} that only the server's OS user may use (rwx------), as initdb
   * wants PGDATA.
   */
  public Path serverUsersDirectory(String name) {
    try {
      Path directory = Files.createDirectories(root.resolve(name));
      Files.setPosixFilePermissions(directory, PosixFilePermissions.fromString("rwx------"));
      chownToServerUser(directory);
      return directory;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Gives {@code path} to {@link #SERVER_OS_USER} and its group when the tests run as root; else
   * leaves it.
   */
  public static void chownToServerUser(Path path) {
    if (!runsAsRoot()) {
      return;
    }
    try {
      UserPrincipalLookupService users = path.getFileSystem().getUserPrincipalLookupService();
      PosixFileAttributeView attributes =
          Files.getFileAttributeView(path, PosixFileAttributeView.class);
      attributes.setOwner(users.lookupPrincipalByName(SERVER_OS_USER));
      attributes.setGroup(users.lookupPrincipalByGroupName(SERVER_OS_USER));
    } catch (IOException e) {
      throw new UncheckedIOException("could not give " + path + " to " + SERVER_OS_USER, e);
    }
  }

  /**
   * Runs {@code cleanup} at {@link #close()}, before the root is deleted; the last registered runs
   * first.
   */
  public void beforeDeletion(Runnable cleanup) {
    cleanups.push(cleanup);
  }

  /**
   * Runs every cleanup, even when one fails, then deletes the root; the first failure is thrown at
   * the end.
   */
  @Override
  public void close() {
    Throwable failure = null;
    while (!cleanups.isEmpty()) {
      try {
        cleanups.pop().run();
      } catch (RuntimeException | AssertionError e) {
        failure = addTo(failure, e);
      }
    }
    try {
      deleteRecursively(root);
    } catch (UncheckedIOException e) {
      failure = addTo(failure, e);
    }
    if (failure instanceof Error error) {
      throw error;
    }
    if (failure != null) {
      throw (RuntimeException) failure;
    }
  }

  private static Throwable addTo(Throwable failure, Throwable next) {
    if (failure == null) {
      return next;
    }
    failure.addSuppressed(next);
    return failure;
  }

  private static void deleteRecursively(Path root) {
    if (!Files.exists(root)) {
      return;
    }
    try {
      Files.walkFileTree(
          root,
          new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attributes)
                throws IOException {
              Files.delete(file);
              return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path directory, IOException failure)
                throws IOException {
              Files.delete(directory);
              return FileVisitResult.CONTINUE;
            }
          });
    } catch (IOException e) {
      throw new UncheckedIOException("could not delete " + root, e);
    }
  }
}
