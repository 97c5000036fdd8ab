package dev.pgcontainer.backup;

import dev.pgcontainer.health.Probe;
import dev.pgcontainer.health.ProbeResult;
import dev.pgcontainer.health.ProbeStatus;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The {@code backup} check with {@code BACKUP_ENABLED=true}: the launcher's {@link BackupStatus} as
 * a health verdict, read from memory (the backup thread keeps it current; a check never runs
 * pgBackRest). DEGRADED with every problem (stanza-create or check failed, archiving off or
 * failing, a scheduled backup failed), each saying what to do; UP otherwise: the stanza ready, a
 * standby (backups are the primary's), or not checked yet.
 */
final class BackupProbe implements Probe {

  private final Supplier<BackupStatus.Snapshot> status;
  private final Clock clock;

  /**
   * @param status the backups' state now, e.g. {@code BackupStatus::snapshot}
   */
  BackupProbe(Supplier<BackupStatus.Snapshot> status, Clock clock) {
    this.status = status;
    this.clock = clock;
  }

  @Override
  public String name() {
    return BackupFeature.CHECK.name();
  }

  @Override
  public ProbeResult check() {
    BackupStatus.Snapshot snapshot = status.get();
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("condition", snapshot.condition().name().toLowerCase(Locale.ROOT));
    snapshot
        .info()
        .ifPresent(
            info -> {
              details.put("stanza", info.stanza());
              details.put("backups", info.backups().size());
              info.latest()
                  .ifPresent(
                      set -> {
                        details.put("last_backup", set.label());
                        details.put("last_backup_type", set.type().keyword());
                        details.put("last_backup_stopped", set.stopped().toString());
                        details.put("last_backup_age_seconds", ageSeconds(set));
                      });
            });
    snapshot
        .archiver()
        .ifPresent(archiver -> details.put("archive_failures", archiver.failedCount()));
    snapshot
        .nextRuns()
        .forEach(
            (type, at) -> details.put("next_" + type.keyword(), at.toOffsetDateTime().toString()));
    ProbeResult result =
        switch (snapshot.condition()) {
          case NOT_CHECKED ->
              ProbeResult.up(
                  "stanza not checked yet: the backup thread checks it once the server is up");
          case STANDBY -> ProbeResult.up("standby: the stanza and the backups are the primary's");
          case OK -> ProbeResult.up(ready(snapshot));
          case DEGRADED ->
              ProbeResult.of(ProbeStatus.DEGRADED, String.join("; ", snapshot.problems()));
        };
    return result.withDetails(details);
  }

  private String ready(BackupStatus.Snapshot snapshot) {
    String stanza =
        snapshot.info().map(info -> "stanza " + info.stanza() + " ready").orElse("stanza ready");
    return stanza
        + snapshot
            .info()
            .flatMap(BackupInfo::latest)
            .map(
                set ->
                    ", last backup "
                        + set.type().keyword()
                        + " "
                        + set.label()
                        + " "
                        + ageSeconds(set)
                        + " s ago")
            .orElse(", no backup yet");
  }

  private long ageSeconds(BackupInfo.BackupSet set) {
    return BackupGauges.ageSeconds(set, clock);
  }
}
