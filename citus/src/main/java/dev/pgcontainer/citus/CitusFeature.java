package dev.pgcontainer.citus;

import dev.pgcontainer.configrender.RenderedFile;
import dev.pgcontainer.core.Settings;
import dev.pgcontainer.core.Settings.CitusRole;
import dev.pgcontainer.feature.Feature;
import dev.pgcontainer.feature.FeatureRun;
import dev.pgcontainer.feature.RunContribution;
import dev.pgcontainer.feature.Subcommand;
import dev.pgcontainer.instance.RunExtension;
import java.util.List;

/**
 * Citus with {@code CITUS_ENABLE=true}: under the launcher its node setup and worker registration ({@link
 * CitusExtension}); under Patroni, which registers the workers itself, the password in pg_dist_authinfo kept equal to
 * POSTGRES_PASSWORD ({@link AuthinfoPassword}); in both, the registration check, the gauges (a part of the run, to
 * close their session before the server stops) and the {@code citus} subcommand.
 */
public final class CitusFeature implements Feature {

  @Override
  public String name() {
    return "citus";
  }

  @Override
  public boolean enabled(Settings settings) {
    return settings.citus().enabled();
  }

  @Override
  public RunContribution join(FeatureRun run) {
    Settings settings = run.settings();
    RunExtension part;
    CitusState citus;
    if (settings.patroni().enabled()) {
      part = AuthinfoPassword.forPatroniRun(settings);
      citus = CitusState.forSettings(settings);
    } else {
      CitusExtension extension = CitusExtension.forRun(settings, run.run().serverUser());
      part = extension;
      citus = extension.state();
    }
    CitusGauges gauges = CitusGauges.of(settings, citus, run.run().state());
    CitusProbe probe = new CitusProbe(gauges.state(),
        settings.citus().role() == CitusRole.WORKER && settings.citus().autoRegisterWorkers());
    return new RunContribution(List.of(part, gauges), List.of(probe), List.of(gauges));
  }

  @Override
  public List<RenderedFile> renderedFiles(Settings settings) {
    return PasswordFile.of(settings).stream().toList();
  }

  @Override
  public List<Subcommand> subcommands() {
    return List.of(new CitusCommand());
  }
}
