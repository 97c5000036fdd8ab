package dev.pgcontainer.supervision;

import dev.pgcontainer.core.PgcontainerException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Who this JVM runs as, and the accounts children may run as.
 *
 * <p>The current uid is the effective uid from {@code /proc/self/status}: Linux-only (as is the
 * image), needs no JDK module beyond {@code java.base} (unlike {@code
 * com.sun.security.auth.module.UnixSystem}, which lives in {@code jdk.security.auth} and may be
 * missing from a trimmed runtime) and cannot be faked with {@code -Duser.name}. Accounts come from
 * {@code /etc/passwd} and groups from {@code /etc/group}, the only user database in a container
 * image.
 */
public final class OsUsers {

  public static final int ROOT_UID = 0;
  private static final Path PROC_STATUS = Path.of("/proc/self/status");
  private static final Path PASSWD = Path.of("/etc/passwd");
  private static final Path GROUP = Path.of("/etc/group");

  private OsUsers() {}

  /** The effective uid of this JVM. */
  public static int currentUid() {
    try {
      return effectiveUid(Files.readAllLines(PROC_STATUS));
    } catch (IOException e) {
      throw new PgcontainerException(
          "cannot read "
              + PROC_STATUS
              + " to find out which user pgcontainer runs as; it needs Linux with /proc",
          e);
    }
  }

  public static boolean isRoot() {
    return currentUid() == ROOT_UID;
  }

  /**
   * The account of this JVM, empty when its uid has no entry (e.g. an arbitrary uid assigned by
   * OpenShift).
   */
  public static Optional<OsUser> currentUser() {
    int uid = currentUid();
    return accounts().stream().filter(user -> user.uid() == uid).findFirst();
  }

  public static Optional<OsUser> find(String name) {
    return accounts().stream().filter(user -> user.name().equals(name)).findFirst();
  }

  /**
   * The groups a process of {@code user} started with {@code setpriv --init-groups} has: its
   * primary group and every group of {@code /etc/group} that lists it.
   */
  public static Set<Integer> groupIds(OsUser user) {
    try {
      return groupIds(user, Files.readAllLines(GROUP));
    } catch (IOException e) {
      throw new PgcontainerException(
          "cannot read "
              + GROUP
              + " to look up the groups of "
              + user.name()
              + "; check that it exists",
          e);
    }
  }

  public static Set<Integer> groupIds(OsUser user, List<String> groupLines) {
    Set<Integer> groups = new TreeSet<>(Set.of(user.gid()));
    groupLines.stream()
        .map(line -> line.split(":", -1))
        .filter(fields -> fields.length >= 4 && isId(fields[2]))
        .filter(fields -> Arrays.asList(fields[3].split(",")).contains(user.name()))
        .forEach(fields -> groups.add(Integer.parseInt(fields[2])));
    return groups;
  }

  static int effectiveUid(List<String> procStatusLines) {
    // "Uid:\treal\teffective\tsaved\tfilesystem"
    return procStatusLines.stream()
        .filter(line -> line.startsWith("Uid:"))
        .map(line -> line.split("\\s+"))
        .filter(fields -> fields.length >= 3)
        .map(fields -> Integer.parseInt(fields[2]))
        .findFirst()
        .orElseThrow(
            () ->
                new PgcontainerException(
                    "/proc/self/status has no Uid line; pgcontainer needs Linux"));
  }

  static List<OsUser> parsePasswd(List<String> lines) {
    return lines.stream()
        .map(line -> line.split(":", -1))
        .filter(fields -> fields.length >= 4 && isId(fields[2]) && isId(fields[3]))
        .map(
            fields ->
                new OsUser(fields[0], Integer.parseInt(fields[2]), Integer.parseInt(fields[3])))
        .toList();
  }

  private static List<OsUser> accounts() {
    try {
      return parsePasswd(Files.readAllLines(PASSWD));
    } catch (IOException e) {
      throw new PgcontainerException(
          "cannot read " + PASSWD + " to look up OS users; check that it exists", e);
    }
  }

  /** Skips comments, NIS {@code +} lines and ids beyond {@code int} (no real account uses them). */
  private static boolean isId(String text) {
    try {
      return Integer.parseInt(text) >= 0;
    } catch (NumberFormatException e) {
      return false;
    }
  }
}
