package dev.pgcontainer.launchercli;

import dev.pgcontainer.core.PgInstallation;
import dev.pgcontainer.core.Settings;
import dev.pgcontainer.core.Settings.ServerSetting;
import dev.pgcontainer.embedded.Features;
import dev.pgcontainer.embedded.SettingsSource;
import dev.pgcontainer.feature.Feature;
import dev.pgcontainer.feature.FeatureRun;
import dev.pgcontainer.feature.RunContribution;
import dev.pgcontainer.feature.UsageException;
import dev.pgcontainer.health.GaugeSource;
import dev.pgcontainer.health.HealthEndpoint;
import dev.pgcontainer.health.Probe;
import dev.pgcontainer.instance.EmbeddedBinaries;
import dev.pgcontainer.instance.PostgresRun;
import dev.pgcontainer.instance.RunExtension;
import dev.pgcontainer.instance.ServerRun;
import dev.pgcontainer.instance.StagedUnpack;
import dev.pgcontainer.supervision.OsUsers;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code pgcontainer run}: validate (exit 78 before touching disk), then the run sequence; and
 * {@code pgcontainer prepare [USER]}: the directory step alone, which the start script runs as root
 * before it drops to the server user.
 */
final class RunCommand {

  private static final Logger LOG = LoggerFactory.getLogger("pgcontainer");

  private final Map<String, String> env;
  private final List<ServerSetting> commandLine;

  /**
   * @param commandLine the server settings of the command line ({@code pgcontainer postgres -c
   *     name=value}), which win over the environment's
   */
  RunCommand(Map<String, String> env, List<ServerSetting> commandLine) {
    this.env = env;
    this.commandLine = List.copyOf(commandLine);
  }

  int run() {
    // the start script's unpack of a cluster template (a first start) is taken by the run that
    // copies that template, and removed on any other way out, a configuration error included
    Optional<StagedUnpack> staged = StagedUnpack.fromEnvironment(env);
    try {
      return run(staged);
    } finally {
      staged.ifPresent(StagedUnpack::discard);
    }
  }

  private int run(Optional<StagedUnpack> staged) {
    // Every problem is found, in one pass, before anything is fetched or touched. Only binaries
    // still to be fetched make two: the server judges the POSTGRESQL_* settings once it is there.
    Optional<PgInstallation> installed = SettingsSource.installation(env, PgInstallation::discover);
    Settings settings =
        installed.isPresent()
            ? SettingsSource.forRun(env, commandLine, installed.get())
            : SettingsSource.withServerCatalogue(env, commandLine, Optional.empty());
    HealthEndpoint.Binding health = HealthEndpoint.bind(settings);
    if (settings.sleepMode()) {
      settings.warnings().forEach(w -> LOG.warn("{}", w));
      return runWithHealthEndpoint(settings, health, serverRun(settings, null, staged));
    }
    PgInstallation binaries =
        installed.isPresent()
            ? installed.get()
            : EmbeddedBinaries.forEnvironment(env, OsUsers.isRoot()).obtain();
    if (installed.isEmpty()) {
      settings = SettingsSource.forRun(env, commandLine, binaries);
    }
    settings.warnings().forEach(w -> LOG.warn("{}", w));
    return runWithHealthEndpoint(settings, health, serverRun(settings, binaries, staged));
  }

  /**
   * {@code prepare [USER]}, with the server settings of the command line the run will have, so that
   * they are validated before anything is touched.
   */
  int prepare(List<String> arguments) {
    if (arguments.size() > 1) {
      throw new UsageException("prepare takes at most one argument, the server's OS user");
    }
    // validated as run validates, so that a configuration error (exit 78) leaves the disk untouched
    // here too
    Optional<PgInstallation> installed = SettingsSource.installation(env, PgInstallation::discover);
    Settings settings =
        installed.isPresent()
            ? SettingsSource.forPrepare(env, commandLine, installed.get())
            : SettingsSource.withServerCatalogue(env, commandLine, Optional.empty());
    ServerRun run =
        ServerRun.of(settings, null, env, PostgresRun.standalone())
            .withFeatures(Features.parts(settings));
    if (!arguments.isEmpty()) {
      run = run.withServerUserWhenRoot(arguments.get(0));
    }
    run.prepareDirectories();
    return ExitCode.OK;
  }

  /**
   * The health endpoint (bound while the binaries were found and asked) serves from before initdb
   * (reporting STARTING) until the run has ended, with the enabled features' probes and gauges.
   */
  private static int runWithHealthEndpoint(
      Settings settings, HealthEndpoint.Binding binding, ComposedRun composed) {
    ServerRun run = composed.run();
    HealthEndpoint health =
        binding.serve(settings, run.state(), Features.checks(), composed.probes(), run.requests());
    composed.gauges().forEach(health::addGauges);
    try {
      return run.run();
    } finally {
      health.close();
    }
  }

  /**
   * A run with the enabled features' parts joined, and their probes and gauges for the health
   * endpoint.
   */
  private record ComposedRun(ServerRun run, List<Probe> probes, List<GaugeSource> gauges) {}

  /**
   * The run of the server's manager (an enabled feature's, e.g. Patroni's, else the launcher
   * itself), joined by each enabled feature in turn; in sleep mode none joins.
   */
  private ComposedRun serverRun(
      Settings settings, PgInstallation installation, Optional<StagedUnpack> staged) {
    // the launcher's own manager unless a feature's (Patroni, which runs initdb itself) manages the
    // server
    PostgresRun standalone = PostgresRun.withInitScripts(SettingsSource.initScripts(env));
    ServerRun run =
        ServerRun.of(
                settings,
                installation,
                env,
                Features.serverManager(
                    settings,
                    SettingsSource.clusterTemplates(env)
                        .map(templates -> staged.map(templates::withStagedUnpack).orElse(templates))
                        .map(standalone::withClusterTemplates)
                        .orElse(standalone)))
            .withFeatures(Features.parts(settings));
    String runAs = env.get(SettingsSource.RUN_AS_VARIABLE);
    run = runAs == null || runAs.isBlank() ? run : run.withServerUserWhenRoot(runAs.trim());
    List<Probe> probes = new ArrayList<>();
    List<GaugeSource> gauges = new ArrayList<>();
    if (!settings.sleepMode()) {
      for (Feature feature : Features.enabled(settings)) {
        RunContribution part = feature.join(new FeatureRun(settings, env, run));
        for (RunExtension extension : part.extensions()) {
          run = run.withExtension(extension);
        }
        probes.addAll(part.probes());
        gauges.addAll(part.gauges());
      }
    }
    return new ComposedRun(run, probes, gauges);
  }
}
