import dev.pgcontainer.backup.BackupRules;
import dev.pgcontainer.backup.CronSchedule;
import dev.pgcontainer.configrender.ConfigRenderer;
import dev.pgcontainer.configrender.RenderInput;
import dev.pgcontainer.core.ServerSettingsValidator;
import dev.pgcontainer.core.Settings;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Time to build Settings from an environment and render every file: the first call in this JVM (cold classes), as
 * wall-clock and as the main thread's CPU time (which other processes on a busy machine cannot inflate), then the
 * median and p99 of warm calls. Run by render.sh in a JVM started like the launcher.
 */
public class RenderBench {
  public static void main(String[] args) {
    Map<String, String> env = new HashMap<>();
    env.put("POSTGRES_PASSWORD", "secret");
    env.put("PGDATA", "/tmp/bench/data");
    env.put("PGCONFIG", "/tmp/bench/config");
    env.put("POSTGRESQL_SHARED_BUFFERS", "512MB");
    env.put("POSTGRESQL_MAX_CONNECTIONS", "200");
    env.put("POSTGRESQL_WORK_MEM", "4MB");
    env.put("POSTGRESQL_PG_STAT_STATEMENTS__MAX", "5000");
    env.put("POSTGRESQL_APPLICATION_NAME", "it's a \\ test");
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();

    long startCpu = threads.getCurrentThreadCpuTime();
    long start = System.nanoTime();
    int files = renderOnce(env);
    double coldMs = (System.nanoTime() - start) / 1e6;
    double coldCpuMs = (threads.getCurrentThreadCpuTime() - startCpu) / 1e6;

    int warmRuns = 20_000;
    long[] nanos = new long[warmRuns];
    for (int i = 0; i < warmRuns; i++) {
      long t = System.nanoTime();
      renderOnce(env);
      nanos[i] = System.nanoTime() - t;
    }
    Arrays.sort(nanos);
    double warmMedianMs = nanos[warmRuns / 2] / 1e6;
    // the bound a warm Settings+render must stay well under (a timing, so checked here and not in a
    // unit test)
    double boundMs = 1.0;
    System.out.printf(
        "render: %d files; cold first Settings+render %.2f ms (%.2f ms CPU); warm median %.3f ms, p99 %.3f ms"
            + " (%d runs); warm median / bound of %.0f ms: %.2f (%s)%n",
        files, coldMs, coldCpuMs, warmMedianMs, nanos[warmRuns * 99 / 100] / 1e6, warmRuns, boundMs,
        warmMedianMs / boundMs, warmMedianMs < boundMs ? "within" : "OVER");
  }

  private static int renderOnce(Map<String, String> env) {
    // the backups' rules as the launcher reads them (no schedule is set: the cron parser stays
    // unloaded)
    Settings settings = Settings.fromEnvironment(env, "bench-host", ServerSettingsValidator.offline(),
        List.of(new BackupRules(CronSchedule::problem)), List.of(), List.of());
    return ConfigRenderer.withDefaultTemplates().render(RenderInput.of(settings, "postgres")).size();
  }
}
