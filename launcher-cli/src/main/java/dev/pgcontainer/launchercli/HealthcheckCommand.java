package dev.pgcontainer.launchercli;

import dev.pgcontainer.core.Settings;
import dev.pgcontainer.embedded.Features;
import dev.pgcontainer.feature.UsageException;
import dev.pgcontainer.health.HealthChecks;
import dev.pgcontainer.health.Healthcheck;
import dev.pgcontainer.health.HealthcheckAnswer;
import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.IntConsumer;
import java.util.function.Supplier;

/**
 * {@code pgcontainer healthcheck [all|postgresql|patroni|disk|process|backup|citus]}: one line per
 * check on stdout, exit 0 when healthy and 1 when not. It is the image's HEALTHCHECK, run every few
 * seconds: {@code bin/pgcontainer} asks a running launcher through its socket first, and this JVM
 * command answers when none does. It ends within {@link #LIMIT} of its process start in every case:
 * the JVM's start-up is counted against the limit, and what is left is the budget of {@link
 * Healthcheck}.
 */
final class HealthcheckCommand {

  /** Every check by name, in the order the lines come. */
  static final List<String> CHECKS = HealthChecks.names(Features.checks());

  /** The hard bound for a healthcheck, from process start to exit. */
  static final Duration LIMIT = Duration.ofSeconds(1);

  /**
   * Kept back from the limit for printing and the JVM's exit (measured up to about 120 ms on a
   * loaded 2-core node), and a little more than {@link #HALT_MARGIN}, so that a check that keeps to
   * its budget has printed its answer before the watchdog would halt.
   */
  static final Duration EXIT_RESERVE = Duration.ofMillis(220);

  /**
   * The watchdog halts this long before the limit, at 800 ms of process age, because halting is not
   * immediate; {@code bin/pgcontainer} kills the JVM at 0.85 s of its own age. See
   * docs/internals.md, Healthcheck in a JVM.
   */
  static final Duration HALT_MARGIN = Duration.ofMillis(200);

  /** The check itself: {@link Healthcheck#run} for the CLI; a seam for tests of the watchdog. */
  @FunctionalInterface
  interface Check {
    HealthcheckAnswer run(Settings settings, Optional<String> only, Duration budget);
  }

  private final Map<String, String> env;
  private final PrintStream out;
  private final PrintStream err;
  private final Supplier<Duration> age;
  private final IntConsumer halt;
  private final Check check;

  /**
   * @param age how long the process has run so far; the limit counts from its start
   * @param halt ends the process with an exit code, should the check still run at the halt point
   */
  HealthcheckCommand(
      Map<String, String> env,
      PrintStream out,
      PrintStream err,
      Supplier<Duration> age,
      IntConsumer halt,
      Check check) {
    this.env = env;
    this.out = out;
    this.err = err;
    this.age = age;
    this.halt = halt;
    this.check = check;
  }

  /**
   * For the CLI: the limit counts from this process's start, the JVM's start-up included, and at
   * the halt point the process answers DOWN and ends, whatever still runs: the last resort behind
   * every timeout, should one not hold (as a JDK read timeout once did not).
   */
  static HealthcheckCommand forThisProcess(
      Map<String, String> env, PrintStream out, PrintStream err) {
    return new HealthcheckCommand(
        env,
        out,
        err,
        ProcessAge::ofThisProcess,
        Runtime.getRuntime()::halt,
        (settings, only, budget) ->
            Healthcheck.forSettings(settings, Features.checks()).run(only, budget));
  }

  int execute(List<String> arguments) {
    Optional<String> only = selection(arguments);
    AtomicBoolean answered = new AtomicBoolean(); // by the check or by the watchdog, never both
    Thread watchdog = watchdog(only.map(List::of).orElse(CHECKS), answered, haltDelay(age.get()));
    try {
      // in the watchdog's time: it loads a good many classes
      Settings settings = Settings.fromEnvironment(env, Features.settingsRules());
      // the age again: the budget counts from now, and reading the settings took a while
      HealthcheckAnswer answer = check.run(settings, only, budget(age.get()));
      if (!answered.compareAndSet(false, true)) {
        awaitEnd(watchdog); // it answered and ends the process; exiting first could lose its answer
        return ExitCode.FAILURE;
      }
      answer
          .endpointProblem()
          .ifPresent(problem -> err.println("pgcontainer healthcheck: " + problem));
      answer.lines().forEach(out::println);
      return answer.healthy() ? ExitCode.OK : ExitCode.FAILURE;
    } finally {
      watchdog.interrupt();
    }
  }

  /** After {@code delay}, unless interrupted first, answers every check DOWN and halts. */
  private Thread watchdog(List<String> checks, AtomicBoolean answered, Duration delay) {
    Thread watchdog =
        new Thread(
            () -> {
              try {
                Thread.sleep(delay.toMillis());
              } catch (InterruptedException e) {
                return; // the check answered in time
              }
              if (answered.compareAndSet(false, true)) {
                checks.forEach(
                    name ->
                        out.println(
                            name
                                + " DOWN no answer within "
                                + LIMIT.toMillis()
                                + " ms of the healthcheck's start"));
                out.flush();
                halt.accept(ExitCode.FAILURE);
              }
            },
            "healthcheck-watchdog");
    watchdog.setDaemon(true);
    watchdog.start();
    return watchdog;
  }

  private static void awaitEnd(Thread watchdog) {
    try {
      watchdog.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static Optional<String> selection(List<String> arguments) {
    if (arguments.size() > 1) {
      throw new UsageException("healthcheck takes at most one check: all or one of " + CHECKS);
    }
    if (arguments.isEmpty() || arguments.get(0).equals("all")) {
      return Optional.empty();
    }
    if (!CHECKS.contains(arguments.get(0))) {
      throw new UsageException(
          "unknown check '" + arguments.get(0) + "': choose all or one of " + CHECKS);
    }
    return Optional.of(arguments.get(0));
  }

  /**
   * When the watchdog halts a process {@code started} old now: at the halt point, or at once past
   * it.
   */
  static Duration haltDelay(Duration started) {
    Duration left = LIMIT.minus(HALT_MARGIN).minus(started);
    return left.isNegative() ? Duration.ZERO : left;
  }

  /**
   * What the check may use; at least a millisecond, so that a very late start still answers (DOWN)
   * in time.
   */
  static Duration budget(Duration started) {
    Duration left = LIMIT.minus(EXIT_RESERVE).minus(started);
    return left.compareTo(Duration.ofMillis(1)) < 0 ? Duration.ofMillis(1) : left;
  }
}
