package dev.pgcontainer.backup;

import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What the repository holds for one stanza, from {@code pgbackrest info --output=json} ({@link
 * #parse}).
 *
 * @param stanza the stanza's name
 * @param status pgBackRest's verdict on the stanza
 * @param backups every backup set, oldest first
 * @param archives WAL archive ranges, one per cluster history entry (a major upgrade starts a new
 *     one)
 * @param databases the clusters the stanza has seen, the current one last
 */
public record BackupInfo(
    String stanza,
    Status status,
    List<BackupSet> backups,
    List<WalArchive> archives,
    List<Database> databases) {

  public BackupInfo {
    Objects.requireNonNull(stanza, "stanza");
    Objects.requireNonNull(status, "status");
    backups = backups.stream().sorted(Comparator.comparing(BackupSet::started)).toList();
    archives = List.copyOf(archives);
    databases = List.copyOf(databases);
  }

  /**
   * Reads pgBackRest's JSON for {@code stanza}.
   *
   * @throws IllegalArgumentException when the text is not pgBackRest's info for that stanza (the
   *     message says why)
   */
  public static BackupInfo parse(String json, String stanza) {
    return InfoJson.parse(json, stanza);
  }

  /**
   * pgBackRest's status of the stanza: code 0 is ok, 1 a missing stanza, 2 no backup yet, 99
   * another error (the message then holds the repository's own message).
   */
  public record Status(int code, String message) {
    public static final int OK = 0;
    public static final int MISSING_STANZA_PATH = 1;
    public static final int NO_VALID_BACKUPS = 2;

    /** Whether the stanza exists in the repository (it may hold no backup yet). */
    public boolean stanzaExists() {
      return code == OK || code == NO_VALID_BACKUPS;
    }
  }

  /**
   * One backup set.
   *
   * @param label pgBackRest's name for it, e.g. {@code 20260131-020000F}; a restore selects it with
   *     {@code --set}
   * @param started when it began; recovery can reach a time only after the end of some backup
   * @param stopped when it ended: the earliest time a restore from it can reach
   * @param databaseBytes the cluster's size as backed up
   * @param repositoryBytes what the set takes in the repository, compressed
   * @param repositoryDeltaBytes what this set added to the repository (all of it for a full backup)
   * @param walStart first WAL segment the set needs
   * @param walStop last WAL segment the set needs
   * @param prior the set a diff or incr backup builds on
   */
  public record BackupSet(
      String label,
      BackupType type,
      Instant started,
      Instant stopped,
      long databaseBytes,
      long repositoryBytes,
      long repositoryDeltaBytes,
      String walStart,
      String walStop,
      Optional<String> prior) {}

  /**
   * The WAL segments kept for one cluster history entry; both ends are empty while none is
   * archived.
   *
   * @param id pgBackRest's id of the entry, e.g. {@code 15-1}
   */
  public record WalArchive(String id, Optional<String> first, Optional<String> last) {}

  /**
   * A cluster the stanza has seen.
   *
   * @param version the PostgreSQL major version, e.g. {@code 15}
   * @param systemId the cluster's system identifier (pg_control_system()), which a restore keeps
   *     and initdb renews
   */
  public record Database(int id, String version, long systemId) {}

  /**
   * The newest set of any type: the last successful backup (pgBackRest lists finished sets only).
   */
  public Optional<BackupSet> latest() {
    return newestOf(backups);
  }

  /** The newest set of exactly {@code type}. */
  public Optional<BackupSet> latest(BackupType type) {
    return newestOf(backups.stream().filter(set -> set.type() == type).toList());
  }

  /**
   * The newest set that makes a backup of {@code type} unnecessary: of that type or a more complete
   * one.
   */
  public Optional<BackupSet> latestCovering(BackupType type) {
    return newestOf(backups.stream().filter(set -> type.isCoveredBy(set.type())).toList());
  }

  /**
   * The newest set that ended at or before {@code time}: the set a recovery to {@code time} starts
   * from.
   */
  public Optional<BackupSet> latestEndedBy(Instant time) {
    return newestOf(backups.stream().filter(set -> !set.stopped().isAfter(time)).toList());
  }

  /** The oldest set, whose end is the earliest time a restore can reach. */
  public Optional<BackupSet> earliest() {
    return backups.stream().findFirst();
  }

  /** The cluster the stanza currently belongs to (the last in its history). */
  public Optional<Database> currentDatabase() {
    return databases.stream().max(Comparator.comparingInt(Database::id));
  }

  private static Optional<BackupSet> newestOf(List<BackupSet> sets) {
    return sets.stream().max(Comparator.comparing(BackupSet::started));
  }
}
