package dev.pgcontainer.configrender;

import dev.pgcontainer.core.Settings;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.Map;

/**
 * Measures rendering in the JVM it runs in, for {@link RenderTimingIT} to start fresh: the cold time covers what a
 * launcher does once per process (build the renderer, compiling its templates, and render), after the settings are
 * parsed as they would be; the warm time is the median of later renders. Prints {@code cold_us=N cold_cpu_us=N
 * warm_ns=N}: wall-clock and the main thread's CPU time, which other processes on a busy machine cannot inflate.
 */
public final class RenderTimingProbe {

  private RenderTimingProbe() {}

  public static void main(String[] args) {
    Settings settings =
        Settings.fromEnvironment(
            Map.of(
                "HOSTNAME", "db-0",
                "POSTGRES_PASSWORD", "s3cret",
                "PATRONI_ENABLE", "true",
                "PATRONI_REPLICATION_PASSWORD", "r3pl",
                "POSTGRESQL_SHARED_BUFFERS", "512MB",
                "POSTGRESQL_PG_STAT_STATEMENTS__MAX", "5000"));
    RenderInput input = RenderInput.of(settings, "postgres");

    ThreadMXBean cpu = ManagementFactory.getThreadMXBean();
    long startCpu = cpu.getCurrentThreadCpuTime();
    long start = System.nanoTime();
    ConfigRenderer renderer = ConfigRenderer.withDefaultTemplates();
    renderer.render(input);
    long coldNanos = System.nanoTime() - start;
    long coldCpuNanos = cpu.getCurrentThreadCpuTime() - startCpu;

    for (int i = 0; i < 5_000; i++) {
      renderer.render(input);
    }
    long[] warm = new long[1_000];
    for (int i = 0; i < warm.length; i++) {
      long renderStart = System.nanoTime();
      renderer.render(input);
      warm[i] = System.nanoTime() - renderStart;
    }
    Arrays.sort(warm);
    System.out.println(
        "cold_us=" + coldNanos / 1_000 + " cold_cpu_us=" + coldCpuNanos / 1_000 + " warm_ns=" + warm[warm.length / 2]);
  }
}
