package dev.pgcontainer.patroni;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.pgcontainer.core.ConfigurationException;
import dev.pgcontainer.core.Settings;
import dev.pgcontainer.instance.ServerUser;
import dev.pgcontainer.supervision.OsUser;
import dev.pgcontainer.supervision.OsUsers;
import dev.pgcontainer.testsupport.TestLogs;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Watchdog checks without a watchdog: /dev/null is a writable character device, as a watchdog is.
 */
class WatchdogDeviceTest {

  /**
   * Patroni runs as the launcher's own user (no user switch): the launcher's own access decides.
   */
  private static final ServerUser LAUNCHER_USER =
      new ServerUser(new OsUser("launcher", OsUsers.currentUid(), OsUsers.currentUid()), false);

  @TempDir Path temp;

  @Test
  void aWritableCharacterDeviceIsUsable() {
    assertThat(WatchdogDevice.unusableBecause(Path.of("/dev/null"), LAUNCHER_USER)).isEmpty();
  }

  @Test
  void saysWhyAPathIsNoWatchdog() throws IOException {
    Path file = Files.createFile(temp.resolve("not-a-device"));

    assertThat(WatchdogDevice.unusableBecause(temp.resolve("missing"), LAUNCHER_USER))
        .contains("does not exist");
    assertThat(WatchdogDevice.unusableBecause(file, LAUNCHER_USER))
        .contains("is not a character device");
  }

  @Test
  void requiredWithoutADeviceIsAConfigurationErrorThatSaysWhatToDo() {
    Path missing = temp.resolve("watchdog");

    assertThatThrownBy(() -> WatchdogDevice.check(patroni("required", missing), LAUNCHER_USER))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("PATRONI_WATCHDOG_MODE='required'")
        .hasMessageContaining(missing + " does not exist")
        .hasMessageContaining("--device")
        .hasMessageContaining("automatic or off");
  }

  @Test
  void automaticWithoutADeviceWarnsThatPatroniRunsWithoutAWatchdog() {
    Path missing = temp.resolve("watchdog");
    ListAppender<ILoggingEvent> log = TestLogs.capture(WatchdogDevice.class.getName());

    assertThatCode(() -> WatchdogDevice.check(patroni("automatic", missing), LAUNCHER_USER))
        .doesNotThrowAnyException();

    assertThat(log.list)
        .singleElement()
        .satisfies(
            event -> {
              assertThat(event.getLevel()).isEqualTo(Level.WARN);
              assertThat(event.getFormattedMessage())
                  .isEqualTo(
                      "PATRONI_WATCHDOG_MODE=automatic, but the watchdog device "
                          + missing
                          + " does not exist: Patroni runs without a watchdog");
            });
  }

  @Test
  void offWithoutADeviceAndRequiredWithOneRunSilently() {
    Path missing = temp.resolve("watchdog");
    ListAppender<ILoggingEvent> log = TestLogs.capture(WatchdogDevice.class.getName());

    assertThatCode(() -> WatchdogDevice.check(patroni("off", missing), LAUNCHER_USER))
        .doesNotThrowAnyException();
    assertThatCode(
            () -> WatchdogDevice.check(patroni("required", Path.of("/dev/null")), LAUNCHER_USER))
        .doesNotThrowAnyException();

    assertThat(log.list).isEmpty();
  }

  @Test
  void aDeviceMustBeWritableByTheUserWhoRunsPatroniNotByTheLauncher() throws IOException {
    Path file = Files.createFile(temp.resolve("device-like"));
    int owner = (Integer) Files.getAttribute(file, "unix:uid");
    int group = (Integer) Files.getAttribute(file, "unix:gid");
    OsUser ownerAccount = new OsUser("owner", owner, group);
    OsUser groupMember = new OsUser("member", owner + 1000, group + 1000);
    OsUser stranger = new OsUser("stranger", owner + 1000, group + 1000);

    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-rw----"));
    assertThat(WatchdogDevice.writableBy(file, ownerAccount, Set.of(group))).isTrue();
    assertThat(WatchdogDevice.writableBy(file, groupMember, Set.of(group + 1000, group))).isTrue();
    assertThat(WatchdogDevice.writableBy(file, stranger, Set.of(group + 1000))).isFalse();

    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("r--rw-rw-"));
    assertThat(WatchdogDevice.writableBy(file, ownerAccount, Set.of(group)))
        .as("the owner's bits decide")
        .isFalse();
    assertThat(WatchdogDevice.writableBy(file, stranger, Set.of(group + 1000))).isTrue();
  }

  @Test
  void aServerUserOtherThanTheLaunchersIsJudgedByThePermissionBits() {
    ServerUser nobody = new ServerUser(new OsUser("nobody", 65534, 65534), true);

    assertThat(WatchdogDevice.unusableBecause(Path.of("/dev/null"), nobody))
        .as("/dev/null is crw-rw-rw-")
        .isEmpty();
  }

  private static PatroniSettings patroni(String mode, Path device) {
    return PatroniSettings.of(
        Settings.fromEnvironment(
            Map.of(
                "HOSTNAME",
                "db-0",
                "POSTGRES_PASSWORD",
                "s3cret",
                "PATRONI_ENABLE",
                "true",
                "PATRONI_REPLICATION_PASSWORD",
                "r3pl",
                "PATRONI_WATCHDOG_MODE",
                mode,
                "PATRONI_WATCHDOG_DEVICE",
                device.toString()),
            List.of(new PatroniRules())));
  }
}
