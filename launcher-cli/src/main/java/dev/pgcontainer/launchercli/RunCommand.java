package dev.pgcontainer.launchercli;

import dev.pgcontainer.backup.BackupExtension;
import dev.pgcontainer.backup.BackupStatus;
import dev.pgcontainer.citus.AuthinfoPassword;
import dev.pgcontainer.citus.CitusExtension;
import dev.pgcontainer.citus.CitusState;
import dev.pgcontainer.core.PgInstallation;
import dev.pgcontainer.core.Settings;
import dev.pgcontainer.core.Settings.CitusRole;
import dev.pgcontainer.core.Settings.ServerSetting;
import dev.pgcontainer.embedded.SettingsSource;
import dev.pgcontainer.health.HealthEndpoint;
import dev.pgcontainer.health.Probe;
import dev.pgcontainer.process.EmbeddedBinaries;
import dev.pgcontainer.process.OsUsers;
import dev.pgcontainer.process.PatroniRun;
import dev.pgcontainer.process.PostgresRun;
import dev.pgcontainer.process.ServerRun;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code pgcontainer run}: validate (exit 78 before touching disk), then the run sequence; and {@code pgcontainer
 * prepare [USER]}: the directory step alone, which the start script runs as root before it drops to the server user.
 */
final class RunCommand {

  private static final Logger LOG = LoggerFactory.getLogger("pgcontainer");

  private final Map<String, String> env;
  private final List<ServerSetting> commandLine;

  /**
   * @param commandLine the server settings of the command line ({@code pgcontainer postgres -c name=value}), which win
   *     over the environment's
   */
  RunCommand(Map<String, String> env, List<ServerSetting> commandLine) {
    this.env = env;
    this.commandLine = List.copyOf(commandLine);
  }

  int run() {
    // Every problem is found, in one pass, before anything is fetched or touched. Only binaries still to be fetched
    // make two: the server judges the POSTGRESQL_* settings once it is there.
    Optional<PgInstallation> installed = SettingsSource.installation(env, PgInstallation::discover);
    Settings settings = installed.isPresent()
        ? SettingsSource.forRun(env, commandLine, installed.get())
        : SettingsSource.withServerCatalogue(env, commandLine, Optional.empty());
    HealthEndpoint.Binding health = HealthEndpoint.bind(settings);
    if (settings.sleepMode()) {
      settings.warnings().forEach(w -> LOG.warn("{}", w));
      return runWithHealthEndpoint(settings, health, serverRun(settings, null));
    }
    PgInstallation binaries = installed.isPresent()
        ? installed.get()
        : EmbeddedBinaries.forEnvironment(env, OsUsers.isRoot()).obtain();
    if (installed.isEmpty()) {
      settings = SettingsSource.forRun(env, commandLine, binaries);
    }
    settings.warnings().forEach(w -> LOG.warn("{}", w));
    return runWithHealthEndpoint(settings, health, serverRun(settings, binaries));
  }

  /**
   * {@code prepare [USER]}, with the server settings of the command line the run will have, so that they are validated
   * before anything is touched.
   */
  int prepare(List<String> arguments) {
    if (arguments.size() > 1) {
      throw new UsageException("prepare takes at most one argument, the server's OS user");
    }
    // validated as run validates, so that a configuration error (exit 78) leaves the disk untouched here too
    Optional<PgInstallation> installed = SettingsSource.installation(env, PgInstallation::discover);
    Settings settings = installed.isPresent()
        ? SettingsSource.forPrepare(env, commandLine, installed.get())
        : SettingsSource.withServerCatalogue(env, commandLine, Optional.empty());
    PostgresRun run = PostgresRun.of(settings, null, env);
    if (!arguments.isEmpty()) {
      run = run.withServerUserWhenRoot(arguments.get(0));
    }
    run.prepareDirectories();
    return ExitCode.OK;
  }

  /**
   * The health endpoint (bound while the binaries were found and asked) serves from before initdb (reporting STARTING)
   * until the run has ended, with the launcher's own checks of the backups and of Citus' registration and, when
   * enabled, their gauges.
   */
  private static int runWithHealthEndpoint(Settings settings, HealthEndpoint.Binding binding, ServerRun run) {
    Optional<BackupStatus> backups = run.extension(BackupExtension.class).map(BackupExtension::status);
    Optional<CitusGauges> citus = run.extension(CitusGauges.class);
    List<Probe> fromLauncher = new ArrayList<>();
    backups.ifPresent(status -> fromLauncher.add(new BackupProbe(status::snapshot, Clock.systemUTC())));
    citus.ifPresent(gauges -> fromLauncher.add(new CitusProbe(gauges.state(),
        settings.citus().role() == CitusRole.WORKER && settings.citus().autoRegisterWorkers())));
    HealthEndpoint health = binding.serve(settings, run.state(), fromLauncher, run.requests());
    backups.ifPresent(status -> health.addGauges(new BackupGauges(status::snapshot, Clock.systemUTC())));
    citus.ifPresent(health::addGauges);
    try {
      return run.run();
    } finally {
      health.close();
    }
  }

  /**
   * Patroni supervises postgres with PATRONI_ENABLE=true (and, with CITUS_ENABLE=true, registers Citus workers
   * itself); otherwise the launcher does, with Citus' part when CITUS_ENABLE=true. pgBackRest's part runs in both when
   * BACKUP_ENABLED=true, as do Citus' gauges (a part of the run to close their session before the server stops).
   */
  private ServerRun serverRun(Settings settings, PgInstallation installation) {
    ServerRun run;
    if (settings.patroni().enabled()) {
      run = PatroniRun.of(settings, installation, env); // Patroni runs initdb itself
    } else {
      PostgresRun standalone =
          PostgresRun.of(settings, installation, env).withInitScripts(SettingsSource.initScripts(env));
      run = SettingsSource.clusterTemplates(env).map(standalone::withClusterTemplates).orElse(standalone);
    }
    String runAs = env.get(SettingsSource.RUN_AS_VARIABLE);
    run = runAs == null || runAs.isBlank() ? run : run.withServerUserWhenRoot(runAs.trim());
    if (settings.sleepMode()) {
      return run;
    }
    if (settings.backup().enabled()) {
      run = run.withExtension(BackupExtension.forRun(settings, env, run.serverUser(), run.requests()));
    }
    if (settings.citus().enabled()) {
      CitusState citus;
      if (settings.patroni().enabled()) {
        citus = CitusState.forSettings(settings);
        // Patroni writes pg_dist_authinfo once; the launcher keeps its password equal to POSTGRES_PASSWORD
        run = run.withExtension(AuthinfoPassword.forPatroniRun(settings));
      } else {
        CitusExtension extension = CitusExtension.forRun(settings, run.serverUser());
        run = run.withExtension(extension);
        citus = extension.state();
      }
      run = run.withExtension(CitusGauges.of(settings, citus, run.state()));
    }
    return run;
  }
}
