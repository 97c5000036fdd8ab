package dev.pgcontainer.citus;

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
import dev.pgcontainer.instance.RunExtension;
import dev.pgcontainer.patroni.PatroniSettings;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Citus with {@code CITUS_ENABLE=true}: under the launcher its node setup and worker registration
 * ({@link CitusExtension}); under Patroni, which registers the workers itself, the password in
 * pg_dist_authinfo kept equal to POSTGRES_PASSWORD ({@link AuthinfoPassword}); in both, the
 * registration check, the gauges (a part of the run, to close their session before the server
 * stops) and the {@code citus} subcommand.
 */
public final class CitusFeature implements Feature {

  private static final CitusRules RULES = new CitusRules();

  /**
   * {@code citus}: outside the launcher's memory, a stand-in says where a worker's registration is
   * known.
   */
  static final FeatureCheck CHECK =
      new FeatureCheck() {
        @Override
        public String name() {
          return "citus";
        }

        @Override
        public int rank() {
          return 60;
        }

        @Override
        public Probe probe(Settings settings, Duration deadline) {
          return new LauncherStandInProbe(
              name(), CitusSettings.of(settings).enabled(), "a worker's registration");
        }
      };

  @Override
  public String name() {
    return "citus";
  }

  @Override
  public Optional<FeatureSettingsRules<?>> settingsRules() {
    return Optional.of(RULES);
  }

  @Override
  public boolean enabled(Settings settings) {
    return CitusSettings.of(settings).enabled();
  }

  @Override
  public RunContribution join(FeatureRun run) {
    Settings settings = run.settings();
    RunExtension part;
    CitusState citus;
    if (PatroniSettings.of(settings).enabled()) {
      part = AuthinfoPassword.forPatroniRun(settings);
      citus = CitusState.forSettings(settings);
    } else {
      CitusExtension extension = CitusExtension.forRun(settings, run.run().serverUser());
      part = extension;
      citus = extension.state();
    }
    CitusGauges gauges = CitusGauges.of(settings, citus, run.run().state());
    CitusProbe probe =
        new CitusProbe(
            gauges.state(),
            CitusSettings.of(settings).role() == CitusRole.WORKER
                && CitusSettings.of(settings).autoRegisterWorkers());
    return new RunContribution(List.of(part, gauges), List.of(probe), List.of(gauges));
  }

  /** Citus' server settings ({@link CitusConf}). */
  @Override
  public ServerConfigPart serverConfig(RenderInput input, ConfigLayout layout) {
    return CitusConf.serverConfig(input.settings());
  }

  @Override
  public List<RenderedFile> renderedFiles(Settings settings) {
    return PasswordFile.of(settings).stream().toList();
  }

  @Override
  public Optional<FeatureCheck> check() {
    return Optional.of(CHECK);
  }

  @Override
  public List<Subcommand> subcommands() {
    return List.of(new CitusCommand());
  }
}
