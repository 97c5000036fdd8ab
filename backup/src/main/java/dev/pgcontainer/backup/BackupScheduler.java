package dev.pgcontainer.backup;

import dev.pgcontainer.core.PgcontainerException;
import dev.pgcontainer.supervision.Commands;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The launcher's backup thread: one daemon thread, so two backups never run at once. On the primary
 * it sets the stanza up ({@link StanzaSetup}), runs a backup missed while no launcher ran, then the
 * scheduled ones and those {@code pgcontainer backup} asks for ({@link #requested}); every {@link
 * #INFO_REFRESH} it reads the repository into {@link BackupStatus}, so health never runs
 * pgBackRest. Under Patroni it asks for the member's role every {@link #ROLE_WATCH}. {@link
 * #stop()} kills a running pgbackrest. See docs/backups.md.
 */
final class BackupScheduler {

  private static final Logger LOG = LoggerFactory.getLogger(BackupScheduler.class);

  /**
   * The thread wakes at least this often, so that a jump of the wall clock delays no backup by
   * more.
   */
  private static final Duration LONGEST_SLEEP = Duration.ofMinutes(1);

  /**
   * How often the repository's info and the archiver's statistics are read for health and metrics.
   */
  static final Duration INFO_REFRESH = Duration.ofMinutes(1);

  private static final String STOPPING =
      "the launcher stopped before the backup ended: run pgcontainer backup again once the server runs";

  /**
   * How often the server's role is asked when it can change: a promotion is followed within this
   * time.
   */
  static final Duration ROLE_WATCH = Duration.ofSeconds(10);

  /** Why a backup {@link #requested} ran, in health and the log. */
  static final String REQUESTED = "asked for with pgcontainer backup";

  private final BackupSchedule schedule;
  private final StanzaSetup setup;
  private final PgBackRest pgBackRest;
  private final OnDemandBackup onDemand;
  private final LocalServer server;
  private final BackupStatus status;
  private final Clock clock;
  private final boolean rolesChange;
  private final ScheduledExecutorService thread;

  // touched by the backup thread only
  private boolean stanzaReady;
  private boolean primary;
  private Optional<BackupSchedule.Run> pending = Optional.empty();

  /**
   * @param rolesChange whether the server can become the primary or a standby while the launcher
   *     runs (Patroni)
   */
  BackupScheduler(
      BackupSchedule schedule,
      StanzaSetup setup,
      PgBackRest pgBackRest,
      OnDemandBackup onDemand,
      LocalServer server,
      BackupStatus status,
      Clock clock,
      boolean rolesChange) {
    this.schedule = schedule;
    this.setup = setup;
    this.pgBackRest = pgBackRest;
    this.onDemand = onDemand;
    this.server = server;
    this.status = status;
    this.clock = clock;
    this.rolesChange = rolesChange;
    this.thread =
        Executors.newSingleThreadScheduledExecutor(
            runnable -> {
              Thread backups = new Thread(runnable, "pgbackrest-scheduler");
              backups.setDaemon(true);
              return backups;
            });
  }

  /**
   * Starts the thread: stanza, a missed backup, then the schedule, the refreshes and the role
   * watch. Returns at once.
   */
  void start() {
    thread.execute(this::firstRound);
    thread.scheduleWithFixedDelay(
        this::refresh, INFO_REFRESH.toMillis(), INFO_REFRESH.toMillis(), TimeUnit.MILLISECONDS);
    if (rolesChange) {
      thread.scheduleWithFixedDelay(
          this::followRole, ROLE_WATCH.toMillis(), ROLE_WATCH.toMillis(), TimeUnit.MILLISECONDS);
    }
  }

  /**
   * Runs the backup {@code pgcontainer backup} asked the launcher for on the backup thread, after
   * one that runs, and waits for it. It is recorded for health as the scheduled ones are.
   *
   * @throws PgcontainerException when it fails, saying why, or when the launcher stops meanwhile
   */
  OnDemandBackup.Outcome requested(BackupType type) throws InterruptedException {
    Future<OnDemandBackup.Outcome> backup;
    try {
      backup = thread.submit(() -> attempt(type, REQUESTED, () -> onDemand.run(type)));
    } catch (RejectedExecutionException e) {
      throw new PgcontainerException(STOPPING);
    }
    try {
      return backup.get();
    } catch (ExecutionException e) {
      throw e.getCause() instanceof RuntimeException failure
          ? failure
          : new PgcontainerException(STOPPING);
    } catch (CancellationException e) {
      throw new PgcontainerException(STOPPING);
    } catch (InterruptedException e) {
      backup.cancel(true);
      throw e;
    }
  }

  /** Ends the thread, killing a running pgbackrest; returns at once. */
  void stop() {
    thread.shutdownNow();
  }

  private void firstRound() {
    try {
      setUp();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return;
    }
    planNext();
  }

  /**
   * What the primary does first, at the start or once promoted: the stanza, then a backup the
   * schedules missed.
   */
  private void setUp() throws InterruptedException {
    try {
      StanzaSetup.Outcome outcome = setup.run();
      primary = outcome != StanzaSetup.Outcome.STANDBY;
      stanzaReady = outcome == StanzaSetup.Outcome.READY;
      if (stanzaReady && !schedule.isEmpty()) {
        Optional<BackupSchedule.Run> missed =
            schedule.missed(pgBackRest.info(Commands::run), now());
        if (missed.isPresent()) {
          LOG.info(
              "running the {} backup now: {}",
              missed.get().type().keyword(),
              missed.get().reason());
          backup(missed.get());
        }
      }
    } catch (RuntimeException e) {
      LOG.error("backups after the start: {}", Failures.summary(e));
    }
  }

  /**
   * A promotion sets the stanza up ({@link #setUp()}); a demotion is noted. The server may be
   * restarting meanwhile.
   */
  private void followRole() {
    try {
      boolean standby = server.role().inRecovery();
      if (standby != primary) {
        return;
      }
      if (standby) {
        primary = false;
        status.roleSeen(true);
        LOG.info(
            "this server is a standby now: the stanza and backups are the primary's, schedules are skipped here");
      } else {
        LOG.info("this server is the primary now: setting the stanza up for its backups");
        setUp();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      LOG.debug(
          "the server's role is unknown for now ({}); asking again in {} s",
          e.getMessage(),
          ROLE_WATCH.toSeconds());
    }
  }

  /** The repository's info and the archiver's statistics, for health and metrics. */
  private void refresh() {
    try {
      status.infoRead(pgBackRest.info(Commands::run));
      status.archiverRead(server.archiver());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      LOG.debug(
          "backup status not refreshed now ({}); again in {} s",
          Failures.summary(e),
          INFO_REFRESH.toSeconds());
    }
  }

  private void planNext() {
    ZonedDateTime now = now();
    pending = schedule.next(now);
    status.scheduled(schedule.nextRuns(now));
    pending.ifPresent(run -> LOG.info("next backup: {} at {}", run.type().keyword(), run.at()));
    sleepUntilDue();
  }

  private void sleepUntilDue() {
    if (pending.isEmpty()) {
      return;
    }
    Duration untilDue = Duration.between(now(), pending.get().at());
    Duration sleep = untilDue.compareTo(LONGEST_SLEEP) > 0 ? LONGEST_SLEEP : untilDue;
    try {
      thread.schedule(this::wake, Math.max(0, sleep.toMillis()), TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException e) {
      LOG.debug("the backup thread is stopping; no further backup is planned");
    }
  }

  private void wake() {
    BackupSchedule.Run run = pending.orElseThrow();
    if (now().isBefore(run.at())) {
      sleepUntilDue();
      return;
    }
    try {
      runIfPrimary(run);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return;
    } catch (RuntimeException e) {
      LOG.error("the {} backup did not run: {}", run.type().keyword(), Failures.summary(e));
    }
    planNext();
  }

  private void runIfPrimary(BackupSchedule.Run run) throws InterruptedException {
    if (server.role().inRecovery()) {
      LOG.info(
          "skipping the {} backup: this server is a standby, backups run on the primary",
          run.type().keyword());
      return;
    }
    if (!stanzaReady) {
      stanzaReady = setup.run() == StanzaSetup.Outcome.READY;
    }
    if (stanzaReady) {
      backup(run);
    } else {
      status.backupAttempted(
          new BackupStatus.BackupAttempt(
              run.type(),
              run.reason(),
              clock.instant(),
              clock.instant(),
              Optional.of("backups are not possible now (the other problems say why)")));
    }
  }

  private void backup(BackupSchedule.Run run) throws InterruptedException {
    try {
      attempt(run.type(), run.reason(), () -> pgBackRest.backup(Commands::run, run.type()));
    } catch (RuntimeException e) {
      // logged and recorded for health by attempt; the schedule goes on
    }
  }

  /**
   * A backup, logged and recorded for health whether it succeeds or fails. The repository's info is
   * read again next on this thread, after a waiting {@link #requested} caller has its answer.
   */
  private <T> T attempt(BackupType type, String reason, Backup<T> backup)
      throws InterruptedException {
    Instant started = clock.instant();
    try {
      T made = backup.run();
      LOG.info(
          "{} backup done in {} s ({})",
          type.keyword(),
          Duration.between(started, clock.instant()).toSeconds(),
          reason);
      status.backupAttempted(
          new BackupStatus.BackupAttempt(type, reason, started, clock.instant(), Optional.empty()));
      return made;
    } catch (RuntimeException e) {
      String failure = Failures.summary(e);
      LOG.error("{} backup failed ({}): {}", type.keyword(), reason, failure);
      status.backupAttempted(
          new BackupStatus.BackupAttempt(
              type, reason, started, clock.instant(), Optional.of(failure)));
      throw e;
    } finally {
      refreshSoon();
    }
  }

  private void refreshSoon() {
    try {
      thread.execute(this::refresh);
    } catch (RejectedExecutionException e) {
      LOG.debug("the backup thread is stopping; the backup status is not read again");
    }
  }

  @FunctionalInterface
  private interface Backup<T> {
    T run() throws InterruptedException;
  }

  private ZonedDateTime now() {
    return ZonedDateTime.now(clock);
  }
}
