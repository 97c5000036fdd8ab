package dev.pgcontainer.instance;

import dev.pgcontainer.core.ConfigurationProblem;
import dev.pgcontainer.core.PgcontainerException;
import dev.pgcontainer.core.Settings;
import dev.pgcontainer.core.Variable;
import dev.pgcontainer.supervision.OsUser;
import dev.pgcontainer.supervision.OsUsers;
import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates the server's directories and fixes their owner and mode, touching only what is wrong: a
 * directory whose owner is already the server user is trusted with its contents (no recursive walk
 * on every boot); one with another owner is walked once and every entry not owned by the server
 * user is handed over. PGCONFIG is the exception: it holds the user's mounted files (often
 * read-only), which the server only reads, so only the directory itself is handed over and the
 * launcher's own files get their owner when they are written.
 */
public final class ServerDirectories {

  private static final Logger LOG = LoggerFactory.getLogger(ServerDirectories.class);

  private static final int PRIVATE = 0700;
  private static final int SHARED = 0755;

  /** A directory's mode, and the variable that names it (for messages that say what to change). */
  private record Wanted(int mode, String variable) {}

  private final Map<Path, Wanted> modes;
  private final Path userFilesDirectory;

  private ServerDirectories(Map<Path, Wanted> modes, Path userFilesDirectory) {
    this.modes = modes;
    this.userFilesDirectory = userFilesDirectory;
  }

  /**
   * PGDATA (0700), PGCONFIG (0755), PGLOG (0700), PGSOCKET (0755), the features' own directories
   * (0700), and initdb's WAL directory when one is given (0700, as the official image makes it).
   */
  public static ServerDirectories of(
      Settings settings, List<FeatureParts.Directory> featureDirectories) {
    Map<Path, Wanted> modes = new LinkedHashMap<>();
    modes.put(settings.directories().data(), new Wanted(PRIVATE, Variable.PGDATA.name()));
    modes.putIfAbsent(
        settings.directories().config(), new Wanted(SHARED, Variable.PGCONFIG.name()));
    modes.putIfAbsent(settings.directories().log(), new Wanted(PRIVATE, Variable.PGLOG.name()));
    modes.putIfAbsent(
        settings.directories().socket(), new Wanted(SHARED, Variable.PGSOCKET.name()));
    for (FeatureParts.Directory directory : featureDirectories) {
      modes.putIfAbsent(directory.path(), new Wanted(PRIVATE, directory.variable()));
    }
    settings
        .superuser()
        .walDirectory()
        .ifPresent(
            directory ->
                modes.putIfAbsent(
                    directory, new Wanted(PRIVATE, Variable.POSTGRES_INITDB_WALDIR.name())));
    return new ServerDirectories(modes, settings.directories().config());
  }

  public List<Path> paths() {
    return List.copyOf(modes.keySet());
  }

  /**
   * A problem for each directory that cannot be one: its path, or the path on the way to it, names
   * a file. Found before anything is created, so that such a run is refused as a configuration
   * error and changes nothing.
   */
  public List<ConfigurationProblem> problems() {
    List<ConfigurationProblem> problems = new ArrayList<>();
    for (Map.Entry<Path, Wanted> entry : modes.entrySet()) {
      Path directory = entry.getKey();
      Path existing = directory;
      while (existing != null && !Files.exists(existing, LinkOption.NOFOLLOW_LINKS)) {
        existing = existing.getParent();
      }
      if (existing == null || Files.isDirectory(existing)) {
        continue;
      }
      String what = Files.isRegularFile(existing) ? "a regular file" : "not a directory";
      String variable = entry.getValue().variable();
      problems.add(
          ConfigurationProblem.of(
              variable,
              directory.toString(),
              (existing.equals(directory)
                      ? "is " + what
                      : existing + " on the way to it is " + what)
                  + ", where the launcher needs a directory: set "
                  + variable
                  + " to a directory (or a path to create"
                  + " one at), or remove "
                  + existing));
    }
    return problems;
  }

  /**
   * Makes every directory exist, belong to {@code owner} and have its mode. As root this fixes
   * ownership; as the server user it can only create and chmod, and a directory it does not own is
   * an error that says what to do.
   */
  public void prepare(OsUser owner, boolean asRoot) {
    List<String> problems = new ArrayList<>();
    for (Map.Entry<Path, Wanted> entry : modes.entrySet()) {
      Path directory = entry.getKey();
      try {
        prepare(
            directory,
            entry.getValue().mode(),
            owner,
            asRoot,
            !directory.equals(userFilesDirectory));
        unreachableAncestor(directory, owner)
            .ifPresent(
                ancestor ->
                    problems.add(
                        ancestor
                            + " (an ancestor of "
                            + directory
                            + ") cannot be entered by user "
                            + owner.name()
                            + ": allow it (chmod o+x "
                            + ancestor
                            + ") or choose a directory elsewhere"));
      } catch (IOException e) {
        problems.add(
            entry.getValue().variable()
                + "="
                + directory
                + ": "
                + e.getMessage()
                + " (choose a directory the launcher can create, or create it beforehand)");
      } catch (PgcontainerException e) {
        problems.add(entry.getValue().variable() + "=" + directory + ": " + e.getMessage());
      }
    }
    if (!problems.isEmpty()) {
      throw new PgcontainerException(
          "cannot prepare the server's directories:\n  - " + String.join("\n  - ", problems));
    }
  }

  private static void prepare(
      Path directory, int mode, OsUser owner, boolean asRoot, boolean withContents)
      throws IOException {
    boolean created = !Files.isDirectory(directory);
    if (created) {
      Files.createDirectories(directory);
      LOG.info("created {}", directory);
    }
    int uid = (Integer) Files.getAttribute(directory, "unix:uid", LinkOption.NOFOLLOW_LINKS);
    if (uid != owner.uid() && (created || !withContents) && asRoot) {
      Files.setAttribute(directory, "unix:uid", owner.uid(), LinkOption.NOFOLLOW_LINKS);
      Files.setAttribute(directory, "unix:gid", owner.gid(), LinkOption.NOFOLLOW_LINKS);
    } else if (uid != owner.uid()) {
      if (!asRoot) {
        throw new PgcontainerException(
            "owned by uid "
                + uid
                + ", but the server runs as "
                + owner.name()
                + " (uid "
                + owner.uid()
                + "): chown it to "
                + owner.name()
                + ", or start the launcher as root so it can fix that");
      }
      int changed = handOver(directory, owner);
      LOG.info("gave {} entries under {} to {}", changed, directory, owner.name());
    }
    int current =
        (Integer) Files.getAttribute(directory, "unix:mode", LinkOption.NOFOLLOW_LINKS) & 07777;
    if (current != mode) {
      Files.setAttribute(directory, "unix:mode", mode, LinkOption.NOFOLLOW_LINKS);
      LOG.info(
          "changed mode of {} from {} to {}",
          directory,
          Integer.toOctalString(current),
          Integer.toOctalString(mode));
    }
  }

  /** Gives every entry not owned by {@code owner} to it; returns how many changed. */
  private static int handOver(Path root, OsUser owner) throws IOException {
    int[] changed = {0};
    Files.walkFileTree(
        root,
        new SimpleFileVisitor<>() {
          @Override
          public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs)
              throws IOException {
            fix(dir);
            return FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult visitFile(Path file, BasicFileAttributes attrs)
              throws IOException {
            fix(file);
            return FileVisitResult.CONTINUE;
          }

          private void fix(Path path) throws IOException {
            if ((Integer) Files.getAttribute(path, "unix:uid", LinkOption.NOFOLLOW_LINKS)
                != owner.uid()) {
              Files.setAttribute(path, "unix:uid", owner.uid(), LinkOption.NOFOLLOW_LINKS);
              Files.setAttribute(path, "unix:gid", owner.gid(), LinkOption.NOFOLLOW_LINKS);
              changed[0]++;
            }
          }
        });
    return changed[0];
  }

  /**
   * The first ancestor the owner cannot traverse: neither others-execute, nor owned by it with
   * owner-execute.
   */
  private static java.util.Optional<Path> unreachableAncestor(Path directory, OsUser owner)
      throws IOException {
    for (Path ancestor = directory.getParent(); ancestor != null; ancestor = ancestor.getParent()) {
      int mode = (Integer) Files.getAttribute(ancestor, "unix:mode");
      int uid = (Integer) Files.getAttribute(ancestor, "unix:uid");
      int gid = (Integer) Files.getAttribute(ancestor, "unix:gid");
      boolean reachable =
          (mode & 0001) != 0
              || (uid == owner.uid() && (mode & 0100) != 0)
              || (gid == owner.gid() && (mode & 0010) != 0)
              || owner.uid() == OsUsers.ROOT_UID;
      if (!reachable) {
        return java.util.Optional.of(ancestor);
      }
    }
    return java.util.Optional.empty();
  }
}
