package dev.pgcontainer.backup;

import java.time.Instant;
import java.time.ZonedDateTime;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.UnaryOperator;

/**
 * What the launcher knows about its backups, for health and {@code /metrics}: whether the stanza is
 * usable, whether the server is a standby, the repository's latest {@link BackupInfo}, the
 * archiver's latest {@link ArchiverStats}, the latest backup attempt and the next scheduled runs. A
 * failure here never stops the server; it makes the backups {@link Condition#DEGRADED}, with a
 * message that says what to do. Thread-safe: written by the backup thread, read by anyone; reading
 * never runs pgBackRest or asks the server.
 */
final class BackupStatus {

  /** The verdict health reports. */
  public enum Condition {
    /**
     * Backups are enabled but the stanza has not been checked yet (the server is starting or
     * recovering).
     */
    NOT_CHECKED,
    /** Stanza checked, archiving works, the last backup attempt succeeded. */
    OK,
    /**
     * The server is a standby: the stanza and the backups are the primary's, nothing is wrong here.
     */
    STANDBY,
    /** Something needs attention on the primary; {@link Snapshot#problems()} says what. */
    DEGRADED
  }

  /** What a problem is about; a later success about the same thing clears it. */
  enum Concern {
    STANZA,
    ARCHIVING,
    BACKUP
  }

  /**
   * One backup the launcher ran (scheduled, caught up after downtime, or on demand).
   *
   * @param reason why it ran, e.g. {@code scheduled 0 2 * * 0}
   * @param failure what went wrong, empty when it succeeded
   */
  public record BackupAttempt(
      BackupType type, String reason, Instant started, Instant ended, Optional<String> failure) {

    public boolean succeeded() {
      return failure.isEmpty();
    }
  }

  /**
   * The state at one moment.
   *
   * @param problems one message per problem, each saying what to do (kept while a standby, for when
   *     it is promoted)
   * @param info the repository as last seen (after the stanza check, after every backup and every
   *     minute or so)
   * @param archiver the server's archiver as last seen, at the same times
   * @param nextRuns the next scheduled run of each scheduled type
   */
  public record Snapshot(
      Condition condition,
      List<String> problems,
      Optional<BackupInfo> info,
      Optional<ArchiverStats> archiver,
      Optional<BackupAttempt> lastAttempt,
      Map<BackupType, ZonedDateTime> nextRuns) {

    public Snapshot {
      problems = List.copyOf(problems);
      nextRuns =
          Collections.unmodifiableMap(nextRuns.isEmpty() ? Map.of() : new EnumMap<>(nextRuns));
    }
  }

  /**
   * Everything the snapshot is made from; problems by concern so that a success clears its own kind
   * only.
   */
  private record State(
      boolean checked,
      boolean standby,
      Map<Concern, String> problems,
      Optional<BackupInfo> info,
      Optional<ArchiverStats> archiver,
      Optional<BackupAttempt> lastAttempt,
      Map<BackupType, ZonedDateTime> nextRuns) {

    static final State INITIAL =
        new State(
            false, false, Map.of(), Optional.empty(), Optional.empty(), Optional.empty(), Map.of());

    State withProblem(Concern concern, Optional<String> problem) {
      Map<Concern, String> next = new EnumMap<>(Concern.class);
      next.putAll(problems);
      problem.ifPresentOrElse(message -> next.put(concern, message), () -> next.remove(concern));
      return new State(
          checked,
          standby,
          Collections.unmodifiableMap(next),
          info,
          archiver,
          lastAttempt,
          nextRuns);
    }

    State asChecked() {
      return new State(true, standby, problems, info, archiver, lastAttempt, nextRuns);
    }

    State withStandby(boolean isStandby) {
      return new State(checked, isStandby, problems, info, archiver, lastAttempt, nextRuns);
    }

    State withInfo(BackupInfo read) {
      return new State(
          checked, standby, problems, Optional.of(read), archiver, lastAttempt, nextRuns);
    }

    State withArchiver(ArchiverStats read) {
      return new State(checked, standby, problems, info, Optional.of(read), lastAttempt, nextRuns);
    }

    State withLastAttempt(BackupAttempt attempt) {
      return new State(checked, standby, problems, info, archiver, Optional.of(attempt), nextRuns);
    }

    State withNextRuns(Map<BackupType, ZonedDateTime> runs) {
      return new State(checked, standby, problems, info, archiver, lastAttempt, Map.copyOf(runs));
    }
  }

  private final AtomicReference<State> state = new AtomicReference<>(State.INITIAL);

  /** The current state. */
  public Snapshot snapshot() {
    State now = state.get();
    Condition condition =
        now.standby()
            ? Condition.STANDBY
            : !now.problems().isEmpty()
                ? Condition.DEGRADED
                : now.checked() ? Condition.OK : Condition.NOT_CHECKED;
    return new Snapshot(
        condition,
        List.copyOf(now.problems().values()),
        now.info(),
        now.archiver(),
        now.lastAttempt(),
        now.nextRuns());
  }

  /** The stanza was checked: {@code problem} says what is wrong, or empty when it is usable. */
  void stanzaChecked(Optional<String> problem) {
    update(s -> s.withProblem(Concern.STANZA, problem).asChecked());
  }

  /** The server was found to be a standby ({@code true}) or the primary. */
  void roleSeen(boolean standby) {
    update(s -> s.withStandby(standby));
  }

  /**
   * The archiver was looked at: {@code problem} says what is wrong with archiving, or empty when it
   * works.
   */
  void archivingChecked(Optional<String> problem) {
    update(s -> s.withProblem(Concern.ARCHIVING, problem));
  }

  /**
   * The archiver's statistics were read: archiving that is off (a restored copy) is a problem, and
   * so is a failing archiver, until it archives again.
   */
  void archiverRead(ArchiverStats archiver) {
    Optional<String> problem =
        !archiver.archiving()
            ? Optional.of(StanzaSetup.ARCHIVING_OFF)
            : archiver.isFailing()
                ? Optional.of(
                    "archiving WAL fails ("
                        + archiver.failedCount()
                        + " failures, the last at "
                        + archiver.lastFailedAt().orElseThrow()
                        + " for "
                        + archiver.lastFailedWal().orElse("?")
                        + "); the server log and pgBackRest's archive-push log in PGLOG say why")
                : Optional.empty();
    update(s -> s.withArchiver(archiver).withProblem(Concern.ARCHIVING, problem));
  }

  void backupAttempted(BackupAttempt attempt) {
    Optional<String> problem =
        attempt
            .failure()
            .map(
                f ->
                    "the "
                        + attempt.reason()
                        + " "
                        + attempt.type().keyword()
                        + " backup failed: "
                        + f);
    update(s -> s.withProblem(Concern.BACKUP, problem).withLastAttempt(attempt));
  }

  void infoRead(BackupInfo info) {
    update(s -> s.withInfo(info));
  }

  void scheduled(Map<BackupType, ZonedDateTime> nextRuns) {
    update(s -> s.withNextRuns(nextRuns));
  }

  private void update(UnaryOperator<State> change) {
    state.updateAndGet(change);
  }
}
