package dev.pgcontainer.launchercli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * How long this process has been running, from {@code /proc} (the image is Linux). Not from {@link
 * ProcessHandle.Info#startInstant()}: the JDK derives it from the boot time in whole seconds, and
 * it was 230-250 ms early on the test machine, a quarter of a healthcheck's one-second limit.
 */
final class ProcessAge {

  /**
   * {@code /proc} counts in USER_HZ, which Linux fixes at 100 per second on every architecture it
   * exports it on.
   */
  private static final double TICKS_PER_SECOND = 100;

  /** {@code starttime}, field 22 of /proc/PID/stat, is the 20th after the command name. */
  private static final int START_TIME_AFTER_NAME = 19;

  private ProcessAge() {}

  /**
   * The time since this process was started (exec of the start script included); zero when /proc
   * cannot say.
   */
  static Duration ofThisProcess() {
    try {
      String stat = Files.readString(Path.of("/proc/self/stat"), StandardCharsets.US_ASCII);
      // the command name may hold spaces and parentheses; the fields after it follow its last ')'
      String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      double startedAfterBoot = Long.parseLong(fields[START_TIME_AFTER_NAME]) / TICKS_PER_SECOND;
      double uptime = Double.parseDouble(Files.readString(Path.of("/proc/uptime")).split(" ")[0]);
      return Duration.ofMillis(Math.max(0, Math.round((uptime - startedAfterBoot) * 1000)));
    } catch (IOException | RuntimeException e) {
      return Duration.ZERO;
    }
  }
}
