package dev.pgcontainer.launchercli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pgcontainer.launchercli.BadInputCorpus.Case;
import dev.pgcontainer.launchercli.BadInputCorpus.ExpectedProblem;
import dev.pgcontainer.testsupport.FreePorts;
import dev.pgcontainer.testsupport.ServerBinaries;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every environment of the bad-input corpus ({@link BadInputCorpus}) is refused alike by {@code
 * validate} and {@code render} (in this JVM, judged by the installed server) and by {@code run}
 * (the real start script, as root as in the image, so through its root step): the expected exit
 * code, the same problems from all three, every one of them at once, each on a short line, no
 * secret shown; and nothing under the directories changed (paths, types, owners, modes,
 * modification times and contents compared before and after).
 */
class BadInputCorpusIT {

  /** Distinctive enough that finding it in any output can only mean a leak. */
  private static final String PASSWORD = "Corpus-Pw-Canary-7f3a91";

  /**
   * Longer problem lines would mean a value is shown in full (the CLI cuts values at 80
   * characters).
   */
  private static final int LONGEST_PROBLEM_LINE = 1000;

  private static final Path SCRIPT =
      Path.of(System.getProperty("basedir", "."))
          .toAbsolutePath()
          .resolve("target/app/bin/pgcontainer");

  private static long startedNanos;

  @BeforeAll
  static void utf8AndTheStartScript() {
    startedNanos = System.nanoTime();
    // Names and values reach the launcher in the JVM's encoding of the environment; the corpus has
    // non-ASCII ones.
    assertThat(System.getProperty("sun.jnu.encoding"))
        .as("the test JVM's locale (run with LANG=C.UTF-8)")
        .isEqualToIgnoringCase("UTF-8");
    assertThat(SCRIPT).as("the app folder (mvn package builds it)").isExecutable();
  }

  @AfterAll
  static void measure() {
    System.out.printf(
        "[measured] bad-input corpus: %d cases through validate, render and run in %d ms%n",
        BadInputCorpus.cases().size(), (System.nanoTime() - startedNanos) / 1_000_000);
  }

  static List<Case> cases() {
    return BadInputCorpus.cases();
  }

  @Test
  void corpusHoldsAtLeast100DistinctCases() {
    List<Case> cases = cases();

    assertThat(cases).hasSizeGreaterThanOrEqualTo(100);
    assertThat(cases).extracting(Case::name).doesNotHaveDuplicates();
    assertThat(cases)
        .extracting(c -> List.of(c.set(), c.unset(), c.files(), c.existingCluster()))
        .doesNotHaveDuplicates();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void refusedAlikeByValidateRenderAndRunWhichChangesNothing(Case badInput) throws IOException {
    Path root = Files.createTempDirectory("pgc-corpus-").toRealPath();
    Path outputs = Files.createTempDirectory("pgc-corpus-out-").toRealPath();
    try {
      Files.setPosixFilePermissions(root, PosixFilePermissions.fromString("rwxr-xr-x"));
      Files.writeString(root.resolve("regular-file"), "not a directory\n");
      Files.writeString(root.resolve("secret-file"), "from-a-file\n");
      badInput.writeFiles(root);
      if (badInput.existingCluster()) {
        existingCluster(root);
      }
      Map<String, String> env = badInput.environment(baseEnvironment(root), root);
      Map<String, String> before = snapshot(root);

      // The run's JVM starts while this one validates and renders: the corpus takes a third less
      // time.
      Process runProcess = startThroughStartScript(env, root, outputs);
      Outcome validate = inProcess(env, "validate");
      Outcome render = inProcess(env, "render", "--out", outputs.resolve("render").toString());
      Outcome run = finished(runProcess, outputs);

      SoftAssertions softly = new SoftAssertions();
      for (Outcome outcome : List.of(validate, render, run)) {
        softly
            .assertThat(outcome.exitCode())
            .as("%s exit code; stderr:%n%s", outcome.command(), outcome.stderr())
            .isEqualTo(badInput.exitCode());
        softly
            .assertThat(outcome.stdout() + outcome.stderr())
            .as("%s output", outcome.command())
            .doesNotContain(PASSWORD);
        softly
            .assertThat(outcome.problems())
            .as("%s problem lines", outcome.command())
            .allSatisfy(
                line -> assertThat(line.length()).isLessThanOrEqualTo(LONGEST_PROBLEM_LINE));
      }
      softly
          .assertThat(sorted(render.problems()))
          .as("render's problems against validate's")
          .isEqualTo(sorted(validate.problems()));
      softly
          .assertThat(sorted(run.problems()))
          .as("run's problems against validate's")
          .isEqualTo(sorted(validate.problems()));
      softly
          .assertThat(unmatched(badInput.problems(), run.problems()))
          .as("expected problems %s, run reported %s", badInput.problems(), run.problems())
          .isEmpty();
      softly
          .assertThat(run.problems())
          .as("run reported only the expected problems")
          .hasSameSizeAs(badInput.problems());
      softly.assertThat(snapshot(root)).as("the sandbox after the refused run").isEqualTo(before);
      softly.assertThat(outputs.resolve("render")).as("render's --out directory").doesNotExist();
      softly.assertAll();
    } finally {
      deleteRecursively(root);
      deleteRecursively(outputs);
    }
  }

  /**
   * The valid environment each case changes: every directory under {@code root}, none of them there
   * yet.
   */
  private static Map<String, String> baseEnvironment(Path root) throws IOException {
    Map<String, String> env = new HashMap<>();
    env.put("PATH", System.getenv().getOrDefault("PATH", "/usr/local/bin:/usr/bin:/bin"));
    env.put("LANG", "C.UTF-8");
    env.put("JAVA_HOME", System.getProperty("java.home"));
    env.put("PG_BINDIR", ServerBinaries.binDir().toString());
    env.put("HOSTNAME", "corpus");
    env.put("PGDATA", root.resolve("data").toString());
    env.put("PGCONFIG", root.resolve("config").toString());
    env.put("PGLOG", root.resolve("log").toString());
    env.put("PGSOCKET", root.resolve("socket").toString());
    env.put("POSTGRESQL_PORT", String.valueOf(FreePorts.next()));
    env.put("POSTGRES_PASSWORD", PASSWORD);
    env.put("TIMEOUT", "10");
    env.put("HEALTH_LISTEN", "");
    return env;
  }

  /**
   * A restart's world: PGDATA a copy of the template cluster, PGCONFIG holding a memo of accepted
   * settings from an earlier start, every directory the server user's (so the start script skips
   * its root step).
   */
  private static void existingCluster(Path root) throws IOException {
    LauncherSandbox.run(
        List.of(
            "cp",
            "-a",
            TemplateCluster.dataDirectory().toString(),
            root.resolve("data").toString()));
    for (String directory : List.of("config", "log", "socket")) {
      Files.createDirectory(root.resolve(directory));
    }
    Path memo = root.resolve("config/.pgcontainer-accepted-settings");
    Files.writeString(memo, "# the settings an earlier start was accepted with\nport = '5432'\n");
    Files.setPosixFilePermissions(memo, PosixFilePermissions.fromString("rw-------"));
    LauncherSandbox.run(
        List.of(
            "chown",
            "-R",
            "postgres:postgres",
            root.resolve("data").toString(),
            root.resolve("config").toString(),
            root.resolve("log").toString(),
            root.resolve("socket").toString()));
  }

  /** What one command did; {@code problems} are its " - " lines on stderr, without that prefix. */
  private record Outcome(String command, int exitCode, String stdout, String stderr) {
    List<String> problems() {
      return stderr
          .lines()
          .filter(line -> line.startsWith("  - "))
          .map(line -> line.substring(4))
          .collect(Collectors.toList());
    }
  }

  /**
   * {@code pgcontainer ARGUMENTS} in this JVM, with the installed server found as the real launcher
   * finds it.
   */
  private static Outcome inProcess(Map<String, String> env, String... arguments) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int exitCode =
        new Cli(
                env,
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8))
            .execute(arguments);
    return new Outcome(
        arguments[0],
        exitCode,
        out.toString(StandardCharsets.UTF_8),
        err.toString(StandardCharsets.UTF_8));
  }

  /**
   * Starts {@code bin/pgcontainer run} with exactly {@code env}, in {@code root}; its output goes
   * to {@code outputs}.
   */
  private static Process startThroughStartScript(Map<String, String> env, Path root, Path outputs)
      throws IOException {
    ProcessBuilder builder =
        new ProcessBuilder(SCRIPT.toString(), "run")
            .directory(root.toFile())
            .redirectOutput(outputs.resolve("run.out").toFile())
            .redirectError(outputs.resolve("run.err").toFile())
            .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
    builder.environment().clear();
    builder.environment().putAll(env);
    return builder.start();
  }

  /**
   * What the run did, once it has ended; a run still going after the hang guard was not refused,
   * and is killed.
   */
  private static Outcome finished(Process process, Path outputs) throws IOException {
    Path stdout = outputs.resolve("run.out");
    Path stderr = outputs.resolve("run.err");
    try {
      if (!process.waitFor(RunningLauncher.HANG_GUARD.toNanos(), TimeUnit.NANOSECONDS)) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly().waitFor();
        throw new AssertionError(
            "run was not refused: it still ran after "
                + RunningLauncher.HANG_GUARD
                + "; output:\n"
                + Files.readString(stdout)
                + Files.readString(stderr));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
    return new Outcome(
        "run",
        process.exitValue(),
        Files.readString(stdout, StandardCharsets.UTF_8),
        Files.readString(stderr, StandardCharsets.UTF_8));
  }

  private static List<String> sorted(List<String> lines) {
    return lines.stream().sorted().collect(Collectors.toList());
  }

  /**
   * The expected problems no reported line matches, each line matching one expected problem at
   * most.
   */
  private static List<ExpectedProblem> unmatched(
      List<ExpectedProblem> expected, List<String> reported) {
    List<String> left = new ArrayList<>(reported);
    List<ExpectedProblem> missing = new ArrayList<>();
    for (ExpectedProblem problem : expected) {
      left.stream()
          .filter(problem::matches)
          .findFirst()
          .ifPresentOrElse(left::remove, () -> missing.add(problem));
    }
    return missing;
  }

  /**
   * Every path under {@code root} with its type, owner, group, mode, modification time and content
   * hash.
   */
  private static Map<String, String> snapshot(Path root) throws IOException {
    Map<String, String> entries = new TreeMap<>();
    try (Stream<Path> paths = Files.walk(root)) {
      for (Path path : paths.sorted(Comparator.naturalOrder()).collect(Collectors.toList())) {
        Map<String, Object> unix = Files.readAttributes(path, "unix:*", LinkOption.NOFOLLOW_LINKS);
        String content =
            Files.isRegularFile(path, LinkOption.NOFOLLOW_LINKS)
                ? sha256(path)
                : Files.isSymbolicLink(path) ? "-> " + Files.readSymbolicLink(path) : "";
        entries.put(
            root.relativize(path).toString(),
            String.format(
                "uid=%s gid=%s mode=%o mtime=%s %s",
                unix.get("uid"),
                unix.get("gid"),
                (Integer) unix.get("mode"),
                unix.get("lastModifiedTime"),
                content));
      }
    }
    return entries;
  }

  private static String sha256(Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      byte[] buffer = new byte[65536];
      for (int read; (read = in.read(buffer)) > 0; ) {
        digest.update(buffer, 0, read);
      }
      return HexFormat.of().formatHex(digest.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void deleteRecursively(Path root) {
    try (Stream<Path> paths = Files.walk(root)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).collect(Collectors.toList())) {
        Files.delete(path);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("could not delete " + root, e);
    }
  }
}
