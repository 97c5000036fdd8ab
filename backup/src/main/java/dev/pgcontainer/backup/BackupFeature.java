package dev.pgcontainer.backup;

import dev.pgcontainer.configrender.ConfigLayout;
import dev.pgcontainer.configrender.RenderInput;
import dev.pgcontainer.configrender.RenderedFile;
import dev.pgcontainer.configrender.ServerConfigPart;
import dev.pgcontainer.core.FeatureSettingsRules;
import dev.pgcontainer.core.Settings;
import dev.pgcontainer.feature.Feature;
import dev.pgcontainer.feature.FeatureRun;
import dev.pgcontainer.feature.RunContribution;
import dev.pgcontainer.feature.Subcommand;
import dev.pgcontainer.health.FeatureCheck;
import dev.pgcontainer.health.LauncherStandInProbe;
import dev.pgcontainer.health.Probe;
import dev.pgcontainer.instance.FeatureParts;
import dev.pgcontainer.instance.ServerSetup;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * pgBackRest with {@code BACKUP_ENABLED=true}: its part in a run (stanza, schedules, on-demand
 * backups, a restore into an empty PGDATA; see {@link BackupExtension}), under the launcher and
 * under Patroni alike, the backups' check and gauges, and the {@code backup} and {@code restore}
 * subcommands.
 */
public final class BackupFeature implements Feature {

  private static final BackupRules RULES = new BackupRules(CronSchedule::problem);

  /**
   * {@code backup}: outside the launcher's memory, a stand-in says where the stanza and backups are
   * known.
   */
  static final FeatureCheck CHECK =
      new FeatureCheck() {
        @Override
        public String name() {
          return "backup";
        }

        @Override
        public int rank() {
          return 50;
        }

        @Override
        public Probe probe(Settings settings, Duration deadline) {
          return new LauncherStandInProbe(
              name(), BackupSettings.of(settings).enabled(), "the stanza and backups");
        }
      };

  @Override
  public String name() {
    return "backup";
  }

  @Override
  public Optional<FeatureSettingsRules<?>> settingsRules() {
    return Optional.of(RULES);
  }

  @Override
  public boolean enabled(Settings settings) {
    return BackupSettings.of(settings).enabled();
  }

  @Override
  public RunContribution join(FeatureRun run) {
    ServerSetup setup =
        ServerSetup.withoutBinaries(run.settings(), run.run().serverUser(), run.environment());
    BackupExtension extension =
        BackupExtension.forRun(setup, run.run().requests(), !run.run().managedByLauncher());
    BackupStatus status = extension.status();
    return new RunContribution(
        List.of(extension),
        List.of(new BackupProbe(status::snapshot, Clock.systemUTC())),
        List.of(new BackupGauges(status::snapshot, Clock.systemUTC())));
  }

  /** The repository, when it is a local directory of this container. */
  @Override
  public List<FeatureParts.Directory> directories(Settings settings) {
    return List.of(
        new FeatureParts.Directory(
            BackupSettings.of(settings).repositoryPath(), "BACKUP_REPO_PATH"));
  }

  /** The library sets up no repository: backups are the container's. */
  @Override
  public boolean runsInLibrary() {
    return false;
  }

  /** The server archives every finished WAL segment to the repository. */
  @Override
  public ServerConfigPart serverConfig(RenderInput input, ConfigLayout layout) {
    return new ServerConfigPart(
        List.of(), List.of(), PgBackRestConfig.archiveLines(input.settings(), layout), Map.of());
  }

  /** {@code pgbackrest.conf}. */
  @Override
  public List<RenderedFile> configFiles(RenderInput input, ConfigLayout layout) {
    return List.of(PgBackRestConfig.render(input.settings(), layout));
  }

  @Override
  public Optional<FeatureCheck> check() {
    return Optional.of(CHECK);
  }

  @Override
  public List<Subcommand> subcommands() {
    return List.of(new BackupCommand(), new RestoreCommand());
  }
}
