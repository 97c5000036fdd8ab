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
 * started once untimed first (Testcontainers' own first-use set-up), then RUNS times, interleaved. With a third
 * argument, PostgreSQLContainer on that image too (the official entrypoint's image), with the ratio of the image's
 * PostgreSQLContainer start() to it. Run by dropin.sh and vs-official.sh.
 */
public class TestcontainersBench {
  public static void main(String[] args) {
    String image = args[0];
    int runs = Integer.parseInt(args[1]);
    DockerImageName asPostgres = DockerImageName.parse(image).asCompatibleSubstituteFor("postgres");
    List<Supplier<GenericContainer<?>>> kinds = new ArrayList<>(List.of(
        () -> new GenericContainer<>(image).withCreateContainerCmdModifier(c -> c.withEntrypoint("sleep", "infinity")),
        () -> new PostgreSQLContainer<>(asPostgres),
        () -> new PgContainer(image),
        () -> new PgContainer(image).withCommand("postgres -c fsync=off")));
    List<String> names = new ArrayList<>(List.of("engine floor (sleep infinity)", "PostgreSQLContainer", "PgContainer",
        "PgContainer, -c fsync=off"));
    if (args.length > 2) {
      DockerImageName other = DockerImageName.parse(args[2]).asCompatibleSubstituteFor("postgres");
      kinds.add(() -> new PostgreSQLContainer<>(other));
      names.add("PostgreSQLContainer, " + args[2]);
    }
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
      System.out.printf("  %-30s start() median %5d ms (runs %s)%s%n", names.get(k), median, times.get(k),
          k == 0 ? "" : String.format(", %.1fx the floor, +%d ms", (double) median / floor, median - floor));
    }
    if (args.length > 2) {
      System.out.printf("  PostgreSQLContainer start(), %s / %s: %.2f%n", image, args[2],
          (double) median(times.get(1)) / median(times.get(kinds.size() - 1)));
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
