package dev.pgcontainer.backup;

import dev.pgcontainer.core.Settings;
import dev.pgcontainer.feature.Feature;
import dev.pgcontainer.feature.FeatureRun;
import dev.pgcontainer.feature.RunContribution;
import dev.pgcontainer.feature.Subcommand;
import dev.pgcontainer.instance.ServerSetup;
import java.time.Clock;
import java.util.List;

/**
 * pgBackRest with {@code BACKUP_ENABLED=true}: its part in a run (stanza, schedules, on-demand backups, a restore into
 * an empty PGDATA; see {@link BackupExtension}), under the launcher and under Patroni alike, the backups' check and
 * gauges, and the {@code backup} and {@code restore} subcommands.
 */
public final class BackupFeature implements Feature {

  @Override
  public String name() {
    return "backup";
  }

  @Override
  public boolean enabled(Settings settings) {
    return settings.backup().enabled();
  }

  @Override
  public RunContribution join(FeatureRun run) {
    ServerSetup setup = ServerSetup.withoutBinaries(run.settings(), run.run().serverUser(), run.environment());
    BackupExtension extension = BackupExtension.forRun(setup, run.run().requests());
    BackupStatus status = extension.status();
    return new RunContribution(List.of(extension), List.of(new BackupProbe(status::snapshot, Clock.systemUTC())),
        List.of(new BackupGauges(status::snapshot, Clock.systemUTC())));
  }

  @Override
  public List<Subcommand> subcommands() {
    return List.of(new BackupCommand(), new RestoreCommand());
  }
}
