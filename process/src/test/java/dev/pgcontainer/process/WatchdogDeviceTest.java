package dev.pgcontainer.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pgcontainer.core.ConfigurationException;
import dev.pgcontainer.core.Settings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Watchdog checks without a watchdog: /dev/null is a writable character device, as a watchdog is. */
class WatchdogDeviceTest {

  @TempDir Path temp;

  @Test
  void aWritableCharacterDeviceIsUsable() {
    assertThat(WatchdogDevice.unusableBecause(Path.of("/dev/null"))).isEmpty();
  }

  @Test
  void saysWhyAPathIsNoWatchdog() throws IOException {
    Path file = Files.createFile(temp.resolve("not-a-device"));

    assertThat(WatchdogDevice.unusableBecause(temp.resolve("missing"))).contains("does not exist");
    assertThat(WatchdogDevice.unusableBecause(file)).contains("is not a character device");
  }

  @Test
  void requiredWithoutADeviceIsAConfigurationErrorThatSaysWhatToDo() {
    Path missing = temp.resolve("watchdog");

    assertThatThrownBy(() -> WatchdogDevice.check(patroni("required", missing)))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("PATRONI_WATCHDOG_MODE='required'")
        .hasMessageContaining(missing + " does not exist")
        .hasMessageContaining("--device")
        .hasMessageContaining("automatic or off");
  }

  @Test
  void automaticOrOffWithoutADeviceRunsAndRequiredWithOneToo() {
    Path missing = temp.resolve("watchdog");

    assertThatCode(() -> WatchdogDevice.check(patroni("automatic", missing))).doesNotThrowAnyException();
    assertThatCode(() -> WatchdogDevice.check(patroni("off", missing))).doesNotThrowAnyException();
    assertThatCode(() -> WatchdogDevice.check(patroni("required", Path.of("/dev/null")))).doesNotThrowAnyException();
  }

  private static Settings.Patroni patroni(String mode, Path device) {
    return Settings.fromEnvironment(Map.of(
            "HOSTNAME", "db-0", "POSTGRES_PASSWORD", "s3cret", "PATRONI_ENABLE", "true",
            "PATRONI_REPLICATION_PASSWORD", "r3pl", "PATRONI_WATCHDOG_MODE", mode,
            "PATRONI_WATCHDOG_DEVICE", device.toString()))
        .patroni();
  }
}
