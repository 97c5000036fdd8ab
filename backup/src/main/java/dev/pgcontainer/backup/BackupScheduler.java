package dev.pgcontainer.backup;

import dev.pgcontainer.process.Commands;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The launcher's backup thread: one daemon thread, so two backups never run at once. It first sets the stanza up
 * ({@link StanzaSetup}) and runs a backup a schedule missed while no launcher ran, then runs each scheduled backup when
 * due, on the primary only (a standby skips it). {@link #stop()} ends it at once: a running pgbackrest is killed, and
 * pgBackRest resumes or replaces that backup next time.
 */
final class BackupScheduler {

  private static final Logger LOG = LoggerFactory.getLogger(BackupScheduler.class);

  /** The thread wakes at least this often, so that a jump of the wall clock delays no backup by more. */
  private static final Duration LONGEST_SLEEP = Duration.ofMinutes(1);

  private final BackupSchedule schedule;
  private final StanzaSetup setup;
  private final PgBackRest pgBackRest;
  private final LocalServer server;
  private final BackupStatus status;
  private final Clock clock;
  private final ScheduledExecutorService thread;

  // touched by the backup thread only
  private boolean stanzaReady;
  private Optional<BackupSchedule.Run> pending = Optional.empty();

  BackupScheduler(
      BackupSchedule schedule, StanzaSetup setup, PgBackRest pgBackRest, LocalServer server, BackupStatus status,
      Clock clock) {
    this.schedule = schedule;
    this.setup = setup;
    this.pgBackRest = pgBackRest;
    this.server = server;
    this.status = status;
    this.clock = clock;
    this.thread = Executors.newSingleThreadScheduledExecutor(runnable -> {
      Thread backups = new Thread(runnable, "pgbackrest-scheduler");
      backups.setDaemon(true);
      return backups;
    });
  }

  /** Starts the thread: stanza, a missed backup, then the schedule. Returns at once. */
  void start() {
    thread.execute(this::firstRound);
  }

  /** Ends the thread, killing a running pgbackrest; returns at once. */
  void stop() {
    thread.shutdownNow();
  }

  private void firstRound() {
    try {
      stanzaReady = setup.run();
      if (stanzaReady && !schedule.isEmpty()) {
        Optional<BackupSchedule.Run> missed = schedule.missed(pgBackRest.info(Commands::run), now());
        if (missed.isPresent()) {
          LOG.info("running the {} backup now: {}", missed.get().type().keyword(), missed.get().reason());
          backup(missed.get());
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return;
    } catch (RuntimeException e) {
      LOG.error("backups after the start: {}", Failures.summary(e));
    }
    planNext();
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
      LOG.info("skipping the {} backup: this server is a standby, backups run on the primary", run.type().keyword());
      return;
    }
    if (!stanzaReady) {
      stanzaReady = setup.run();
    }
    if (stanzaReady) {
      backup(run);
    } else {
      status.backupAttempted(new BackupStatus.BackupAttempt(
          run.type(), run.reason(), clock.instant(), clock.instant(),
          Optional.of("backups are not possible now (the other problems say why)")));
    }
  }

  private void backup(BackupSchedule.Run run) throws InterruptedException {
    Instant started = clock.instant();
    Optional<String> failure = Optional.empty();
    try {
      pgBackRest.backup(Commands::run, run.type());
      LOG.info("{} backup done in {} s ({})", run.type().keyword(),
          Duration.between(started, clock.instant()).toSeconds(), run.reason());
    } catch (RuntimeException e) {
      failure = Optional.of(Failures.summary(e));
      LOG.error("{} backup failed ({}): {}", run.type().keyword(), run.reason(), failure.get());
    }
    status.backupAttempted(new BackupStatus.BackupAttempt(run.type(), run.reason(), started, clock.instant(), failure));
    status.infoRead(pgBackRest.info(Commands::run));
    ArchiverStats archiver = server.archiver();
    status.archivingChecked(archiver.isFailing()
        ? Optional.of("archiving WAL fails (last failure " + archiver.lastFailedAt().orElseThrow() + " for "
            + archiver.lastFailedWal().orElse("?") + "); the server log and pgBackRest's archive-push log in PGLOG say why")
        : Optional.empty());
  }

  private ZonedDateTime now() {
    return ZonedDateTime.now(clock);
  }
}
