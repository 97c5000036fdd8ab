package dev.pgcontainer.patroni;

import dev.pgcontainer.core.ConfigurationException;
import dev.pgcontainer.core.ConfigurationProblem;
import dev.pgcontainer.instance.ServerUser;
import dev.pgcontainer.supervision.OsUser;
import dev.pgcontainer.supervision.OsUsers;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Patroni's watchdog device, checked before anything starts: with mode {@code required} and no
 * usable device, Patroni cancels the bootstrap, renames PGDATA to {@code data.failed} and exits.
 * The device is never opened here: opening a watchdog arms it, and closing it without the magic
 * character lets it reset the machine.
 */
public final class WatchdogDevice {

  private static final Logger LOG = LoggerFactory.getLogger(WatchdogDevice.class);

  private static final int FILE_TYPE_MASK = 0170000;
  private static final int CHARACTER_DEVICE = 0020000;
  private static final int OWNER_WRITE = 0200;
  private static final int GROUP_WRITE = 0020;
  private static final int OTHERS_WRITE = 0002;

  private WatchdogDevice() {}

  /**
   * Passes silently when the watchdog is off or usable by {@code user}, who runs Patroni; warns for
   * {@code automatic} without a usable device (Patroni then runs without one).
   *
   * @throws ConfigurationException for {@code required} without a usable device
   */
  static void check(PatroniSettings patroni, ServerUser user) {
    Optional<ConfigurationProblem> problem = problem(patroni, user);
    if (problem.isPresent()) {
      throw new ConfigurationException(List.of(problem.get()));
    }
    if (patroni.watchdogMode() == WatchdogMode.AUTOMATIC) {
      unusableBecause(patroni.watchdogDevice(), user)
          .ifPresent(
              unusable ->
                  LOG.warn(
                      "PATRONI_WATCHDOG_MODE=automatic, but the watchdog device {} {}: Patroni runs without a watchdog",
                      patroni.watchdogDevice(),
                      unusable));
    }
  }

  /**
   * The problem of mode {@code required} without a device {@code user}, who runs Patroni, can use;
   * else empty.
   */
  public static Optional<ConfigurationProblem> problem(PatroniSettings patroni, ServerUser user) {
    if (patroni.watchdogMode() != WatchdogMode.REQUIRED) {
      return Optional.empty();
    }
    Path device = patroni.watchdogDevice();
    return unusableBecause(device, user)
        .map(
            unusable ->
                ConfigurationProblem.of(
                    PatroniVariable.PATRONI_WATCHDOG_MODE.name(),
                    "required",
                    "the watchdog device "
                        + device
                        + " "
                        + unusable
                        + ", so Patroni would refuse to run: give the"
                        + " container the device (docker run --device "
                        + device
                        + "), point PATRONI_WATCHDOG_DEVICE at one,"
                        + " or use PATRONI_WATCHDOG_MODE=automatic or off"));
  }

  /**
   * Why {@code device} cannot serve as the watchdog of a Patroni run by {@code user}; empty when it
   * can. A launcher running as root starts Patroni as the server's user, so the device must be
   * writable by that user, not by root.
   */
  static Optional<String> unusableBecause(Path device, ServerUser user) {
    if (!Files.exists(device)) {
      return Optional.of("does not exist");
    }
    try {
      int mode = (Integer) Files.getAttribute(device, "unix:mode");
      if ((mode & FILE_TYPE_MASK) != CHARACTER_DEVICE) {
        return Optional.of("is not a character device");
      }
      if (user.switchesUser()) {
        OsUser account = user.account();
        return writableBy(device, account, OsUsers.groupIds(account))
            ? Optional.empty()
            : Optional.of(
                "is not writable by "
                    + account.name()
                    + " (uid "
                    + account.uid()
                    + "), who runs Patroni");
      }
    } catch (IOException e) {
      return Optional.of("cannot be examined (" + e.getMessage() + ")");
    }
    return Files.isWritable(device)
        ? Optional.empty()
        : Optional.of(
            "is not writable by the launcher's user (uid "
                + OsUsers.currentUid()
                + "), who runs Patroni");
  }

  /**
   * Whether the permission bits of {@code file} let {@code account}, member of {@code groups},
   * write it.
   */
  static boolean writableBy(Path file, OsUser account, Set<Integer> groups) throws IOException {
    int mode = (Integer) Files.getAttribute(file, "unix:mode");
    if ((Integer) Files.getAttribute(file, "unix:uid") == account.uid()) {
      return (mode & OWNER_WRITE) != 0;
    }
    if (groups.contains((Integer) Files.getAttribute(file, "unix:gid"))) {
      return (mode & GROUP_WRITE) != 0;
    }
    return (mode & OTHERS_WRITE) != 0;
  }
}
