package dev.pgcontainer.launchercli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pgcontainer.core.Settings;
import dev.pgcontainer.embedded.Features;
import dev.pgcontainer.health.Healthcheck;
import dev.pgcontainer.health.HealthcheckAnswer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.function.IntConsumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code pgcontainer healthcheck} in-process, with nothing running: arguments, output and exit
 * codes.
 */
class HealthcheckCommandTest {

  @TempDir Path root;

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  @Test
  void theStartScriptAnswersNoLauncherForTheChecksThereAreOnly() throws IOException {
    // bin/pgcontainer says "no launcher answers" in the shell for these and leaves any other name
    // to this command
    Path script = Path.of(System.getProperty("basedir", "."), "src/main/dist/bin/pgcontainer");
    List<String> names =
        Stream.concat(Stream.of("all"), HealthcheckCommand.CHECKS.stream()).toList();

    assertThat(Files.readString(script)).contains("\n      " + String.join(" | ", names) + ")\n");
  }

  @Test
  void theFeaturesChecksSitWhereTheyAlwaysHave() {
    assertThat(HealthcheckCommand.CHECKS)
        .containsExactly("postgresql", "patroni", "disk", "process", "backup", "citus");
  }

  @Test
  void oneCheckPrintsOneLineAndExitsZeroWhenHealthy() {
    int exitCode = healthcheck("disk");

    assertThat(exitCode).isZero();
    assertThat(out()).startsWith("disk UP PGDATA ").endsWith(" ms\n").hasLineCount(1);
    assertThat(err()).isEmpty();
  }

  @Test
  void everyCheckPrintsALineAndExitsOneWhenOneIsDown() {
    int exitCode = healthcheck("all");

    assertThat(exitCode).isEqualTo(ExitCode.FAILURE);
    assertThat(out().lines())
        .extracting(line -> line.split(" ")[0] + " " + line.split(" ")[1])
        .containsExactly(
            "postgresql DOWN", "patroni UP", "disk UP", "process DOWN", "backup UP", "citus UP");
  }

  @Test
  void anUnknownCheckOrTwoChecksAreUsageErrors() {
    assertThat(cli("cpu")).isEqualTo(ExitCode.USAGE);
    assertThat(err())
        .contains(
            "pgcontainer healthcheck: unknown check 'cpu': choose all or one of"
                + " [postgresql, patroni, disk, process, backup, citus]");
    assertThat(cli("disk", "process")).isEqualTo(ExitCode.USAGE);
  }

  @Test
  void theProcessAgeFromProcIsAtLeastTheJvmsUptime() {
    Duration jvmUptime = Duration.ofMillis(ManagementFactory.getRuntimeMXBean().getUptime());

    Duration age = ProcessAge.ofThisProcess();

    // the process exists a little before its JVM; /proc counts in 10 ms ticks
    assertThat(age)
        .isGreaterThanOrEqualTo(jvmUptime.minusMillis(20))
        .isLessThan(jvmUptime.plusSeconds(30));
  }

  @Test
  void theWatchdogHaltsAt800MsOfProcessAgeAndAtOncePastIt() {
    assertThat(HealthcheckCommand.haltDelay(Duration.ZERO)).isEqualTo(Duration.ofMillis(800));
    assertThat(HealthcheckCommand.haltDelay(Duration.ofMillis(300)))
        .isEqualTo(Duration.ofMillis(500));
    assertThat(HealthcheckCommand.haltDelay(Duration.ofMillis(950))).isZero();
  }

  @Test
  void aCheckKeepingToItsBudgetEndsBeforeTheWatchdogHalts() {
    for (long started : new long[] {0, 300, 700}) {
      Duration age = Duration.ofMillis(started);
      assertThat(age.plus(HealthcheckCommand.budget(age)))
          .as("end of the budget of a check started at %s", age)
          .isLessThan(age.plus(HealthcheckCommand.haltDelay(age)));
    }
  }

  @Test
  void aCheckStillRunningAtTheHaltPointIsAnsweredDownByTheWatchdogWhichHalts()
      throws InterruptedException {
    CountDownLatch halted = new CountDownLatch(1);
    List<Integer> haltCodes = new CopyOnWriteArrayList<>();
    HealthcheckCommand.Check stuck =
        (settings, only, budget) -> {
          awaitQuietly(halted); // a check that ignores its budget, as a JDK read timeout once did
          return new HealthcheckAnswer(
              true,
              List.of("postgresql UP too late"),
              HealthcheckAnswer.Source.DIRECT,
              Optional.empty());
        };
    IntConsumer recordingHalt =
        exitCode -> {
          haltCodes.add(exitCode);
          halted.countDown();
        };
    // a late process: 790 ms old when the check starts, so the halt point is 10 ms away
    HealthcheckCommand command =
        new HealthcheckCommand(
            environment(),
            print(out),
            print(err),
            () -> Duration.ofMillis(790),
            recordingHalt,
            stuck);

    int exitCode = command.execute(List.of("postgresql"));

    assertThat(haltCodes).containsExactly(ExitCode.FAILURE);
    assertThat(exitCode).isEqualTo(ExitCode.FAILURE);
    assertThat(out())
        .isEqualTo("postgresql DOWN no answer within 1000 ms of the healthcheck's start\n");
  }

  @Test
  void aCheckAnsweringInTimeIsNeverHalted() throws InterruptedException {
    Settings.fromEnvironment(
        environment()); // loads its classes, so that the command itself takes a few ms
    List<Integer> haltCodes = new CopyOnWriteArrayList<>();
    HealthcheckCommand command =
        new HealthcheckCommand(
            environment(),
            print(out),
            print(err),
            () -> Duration.ofMillis(500),
            haltCodes::add,
            (settings, only, budget) ->
                new HealthcheckAnswer(
                    true,
                    List.of("disk UP fine"),
                    HealthcheckAnswer.Source.DIRECT,
                    Optional.empty()));

    int exitCode = command.execute(List.of("disk"));
    Thread.sleep(400); // past the halt point, 300 ms after the start

    assertThat(exitCode).isZero();
    assertThat(out()).isEqualTo("disk UP fine\n");
    assertThat(haltCodes).isEmpty();
  }

  private static void awaitQuietly(CountDownLatch latch) {
    try {
      latch.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * The command itself; in-process the JVM's start-up is not its own, so the whole limit is its
   * budget.
   */
  private int healthcheck(String... arguments) {
    return new HealthcheckCommand(
            environment(),
            print(out),
            print(err),
            () -> Duration.ZERO,
            exitCode -> {},
            (settings, only, budget) ->
                Healthcheck.forSettings(settings, Features.checks()).run(only, budget))
        .execute(List.of(arguments));
  }

  /** Through the CLI's dispatch and error handling. */
  private int cli(String... arguments) {
    String[] command = new String[arguments.length + 1];
    command[0] = "healthcheck";
    System.arraycopy(arguments, 0, command, 1, arguments.length);
    return new Cli(environment(), print(out), print(err)).execute(command);
  }

  private Map<String, String> environment() {
    return Map.of(
        "PGDATA",
        root.resolve("data").toString(),
        "PGLOG",
        root.resolve("log").toString(),
        "PGSOCKET",
        root.resolve("socket").toString(),
        "POSTGRESQL_PORT",
        "54329",
        "HEALTH_LISTEN",
        "",
        "EXTERNAL_ACCESS_ENABLE",
        "false",
        "HOSTNAME",
        "healthcheck-test");
  }

  private static PrintStream print(ByteArrayOutputStream bytes) {
    return new PrintStream(bytes, true, StandardCharsets.UTF_8);
  }

  private String out() {
    return out.toString(StandardCharsets.UTF_8);
  }

  private String err() {
    return err.toString(StandardCharsets.UTF_8);
  }
}
