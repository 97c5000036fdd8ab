package dev.pgcontainer.configrender;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Rendering is fast where it matters, in a fresh JVM with the launcher's JVM options: building the renderer and the
 * first render take under 50 ms of the main thread's CPU time, a warm render under 1 ms. The probe runs on the
 * production classpath (test libraries left out). The best of a few runs is taken and CPU time is asserted, because
 * other processes on a shared machine only ever add time; wall-clock time is printed alongside.
 */
class RenderTimingIT {

  private static final int RUNS = 5;
  private static final List<String> TEST_ONLY_LIBRARIES =
      List.of("junit", "assertj", "byte-buddy", "opentest4j", "apiguardian", "surefire", "failsafe");
  /** As launcher-cli's bin/pgcontainer starts the JVM (without its optional class-data sharing archive). */
  private static final List<String> LAUNCHER_JVM_OPTIONS =
      List.of(
          "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-XX:CICompilerCount=1", "-Xss512k", "-Xms8m", "-Xmx64m",
          "-XX:-UsePerfData");
  private static final Pattern RESULT = Pattern.compile("cold_us=(\\d+) cold_cpu_us=(\\d+) warm_ns=(\\d+)");

  @Test
  void aFreshJvmRendersWithin50MillisecondsAndAWarmOneWithinAMillisecond() throws Exception {
    long bestColdMicros = Long.MAX_VALUE;
    long bestColdCpuMicros = Long.MAX_VALUE;
    long bestWarmNanos = Long.MAX_VALUE;
    for (int run = 0; run < RUNS; run++) {
      String output = runProbe();
      Matcher result = RESULT.matcher(output);
      assertThat(result.find()).as("probe output: %s", output).isTrue();
      bestColdMicros = Math.min(bestColdMicros, Long.parseLong(result.group(1)));
      bestColdCpuMicros = Math.min(bestColdCpuMicros, Long.parseLong(result.group(2)));
      bestWarmNanos = Math.min(bestWarmNanos, Long.parseLong(result.group(3)));
    }
    System.out.printf(
        "render timing, best of %d fresh JVMs: cold %.1f ms wall, %.1f ms CPU; warm %.1f us%n",
        RUNS, bestColdMicros / 1e3, bestColdCpuMicros / 1e3, bestWarmNanos / 1e3);

    assertThat(bestColdCpuMicros).as("cold CPU microseconds").isLessThan(50_000L);
    assertThat(bestWarmNanos).as("warm nanoseconds").isLessThan(1_000_000L);
  }

  private static String runProbe() throws IOException, InterruptedException {
    String classpath =
        Stream.of(System.getProperty("java.class.path").split(File.pathSeparator))
            .filter(entry -> TEST_ONLY_LIBRARIES.stream().noneMatch(entry::contains))
            .collect(Collectors.joining(File.pathSeparator));
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(LAUNCHER_JVM_OPTIONS);
    command.addAll(List.of("-cp", classpath, RenderTimingProbe.class.getName()));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("probe finished").isTrue();
    assertThat(process.exitValue()).as("probe exit code, output: %s", output).isZero();
    return output;
  }
}
