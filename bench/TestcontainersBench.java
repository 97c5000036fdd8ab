import dev.pgcontainer.container.PgContainer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.Supplier;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.PostgreSQLContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * Testcontainers' start() on the image, each on a new container: PostgreSQLContainer unchanged (waits for the ready
 * line twice; its command sets fsync=off), PgContainer (waits for the launcher's /ready; the image's command, and
 * with fsync=off as PostgreSQLContainer has it), and as the baseline the same image started with
 * {@code sleep infinity} as its entrypoint (what the engine and Testcontainers cost without PostgreSQL). Each kind is
 * started once untimed first (Testcontainers' own first-use set-up), then RUNS times, interleaved. Run by dropin.sh.
 */
public class TestcontainersBench {
  public static void main(String[] args) {
    String image = args[0];
    int runs = Integer.parseInt(args[1]);
    DockerImageName asPostgres = DockerImageName.parse(image).asCompatibleSubstituteFor("postgres");
    List<Supplier<GenericContainer<?>>> kinds = List.of(
        () -> new GenericContainer<>(image).withCreateContainerCmdModifier(c -> c.withEntrypoint("sleep", "infinity")),
        () -> new PostgreSQLContainer<>(asPostgres),
        () -> new PgContainer(image),
        () -> new PgContainer(image).withCommand("postgres -c fsync=off"));
    String[] names = {"engine floor (sleep infinity)", "PostgreSQLContainer", "PgContainer",
        "PgContainer, -c fsync=off"};
    List<List<Long>> times = new ArrayList<>();
    for (Supplier<GenericContainer<?>> kind : kinds) {
      timeStart(kind);
      times.add(new ArrayList<>());
    }
    for (int run = 0; run < runs; run++) {
      for (int k = 0; k < kinds.size(); k++) {
        times.get(k).add(timeStart(kinds.get(k)));
      }
    }
    long floor = median(times.get(0));
    for (int k = 0; k < kinds.size(); k++) {
      long median = median(times.get(k));
      System.out.printf("  %-30s start() median %5d ms (runs %s)%s%n", names[k], median, times.get(k),
          k == 0 ? "" : String.format(", %.1fx the floor, +%d ms", (double) median / floor, median - floor));
    }
  }

  private static long timeStart(Supplier<GenericContainer<?>> kind) {
    try (GenericContainer<?> container = kind.get()) {
      long start = System.nanoTime();
      container.start();
      return (System.nanoTime() - start) / 1_000_000;
    }
  }

  private static long median(List<Long> values) {
    List<Long> sorted = new ArrayList<>(values);
    Collections.sort(sorted);
    return sorted.get((sorted.size() - 1) / 2);
  }
}
