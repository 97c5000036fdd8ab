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
 * What the launcher knows about its backups, for health and {@code /metrics}: whether the stanza is usable, the
 * repository's latest {@link BackupInfo}, the latest backup attempt and the next scheduled runs. A failure here never
 * stops the server; it makes the backups {@link Condition#DEGRADED}, with a message that says what to do. Thread-safe:
 * written by the backup threads, read by anyone.
 */
public final class BackupStatus {

  /** The verdict health reports. */
  public enum Condition {
    /** Backups are enabled but the stanza has not been checked yet (the server is starting or recovering). */
    NOT_CHECKED,
    /** Stanza checked, archiving works, the last backup attempt succeeded. */
    OK,
    /** Something needs attention; {@link Snapshot#problems()} says what. */
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
   * @param problems one message per problem, each saying what to do
   * @param info the repository as last seen (after the stanza check and after every backup)
   * @param nextRuns the next scheduled run of each scheduled type
   */
  public record Snapshot(
      Condition condition,
      List<String> problems,
      Optional<BackupInfo> info,
      Optional<BackupAttempt> lastAttempt,
      Map<BackupType, ZonedDateTime> nextRuns) {

    public Snapshot {
      problems = List.copyOf(problems);
      nextRuns = Collections.unmodifiableMap(nextRuns.isEmpty() ? Map.of() : new EnumMap<>(nextRuns));
    }
  }

  /** Everything the snapshot is made from; problems by concern so that a success clears its own kind only. */
  private record State(
      boolean checked,
      Map<Concern, String> problems,
      Optional<BackupInfo> info,
      Optional<BackupAttempt> lastAttempt,
      Map<BackupType, ZonedDateTime> nextRuns) {}

  private final AtomicReference<State> state =
      new AtomicReference<>(new State(false, Map.of(), Optional.empty(), Optional.empty(), Map.of()));

  /** The current state. */
  public Snapshot snapshot() {
    State now = state.get();
    Condition condition = !now.problems().isEmpty() ? Condition.DEGRADED
        : now.checked() ? Condition.OK : Condition.NOT_CHECKED;
    return new Snapshot(
        condition, List.copyOf(now.problems().values()), now.info(), now.lastAttempt(), now.nextRuns());
  }

  /** The stanza was checked: {@code problem} says what is wrong, or empty when it is usable. */
  void stanzaChecked(Optional<String> problem) {
    update(s -> new State(true, withProblem(s.problems(), Concern.STANZA, problem), s.info(), s.lastAttempt(),
        s.nextRuns()));
  }

  /** The archiver was looked at: {@code problem} says what is wrong with archiving, or empty when it works. */
  void archivingChecked(Optional<String> problem) {
    update(s -> new State(s.checked(), withProblem(s.problems(), Concern.ARCHIVING, problem), s.info(),
        s.lastAttempt(), s.nextRuns()));
  }

  void backupAttempted(BackupAttempt attempt) {
    Optional<String> problem = attempt.failure().map(f -> "the " + attempt.reason() + " " + attempt.type().keyword()
        + " backup failed: " + f);
    update(s -> new State(s.checked(), withProblem(s.problems(), Concern.BACKUP, problem), s.info(),
        Optional.of(attempt), s.nextRuns()));
  }

  void infoRead(BackupInfo info) {
    update(s -> new State(s.checked(), s.problems(), Optional.of(info), s.lastAttempt(), s.nextRuns()));
  }

  void scheduled(Map<BackupType, ZonedDateTime> nextRuns) {
    update(s -> new State(s.checked(), s.problems(), s.info(), s.lastAttempt(), Map.copyOf(nextRuns)));
  }

  private void update(UnaryOperator<State> change) {
    state.updateAndGet(change);
  }

  private static Map<Concern, String> withProblem(
      Map<Concern, String> problems, Concern concern, Optional<String> problem) {
    Map<Concern, String> next = new EnumMap<>(Concern.class);
    next.putAll(problems);
    problem.ifPresentOrElse(message -> next.put(concern, message), () -> next.remove(concern));
    return Collections.unmodifiableMap(next);
  }
}
