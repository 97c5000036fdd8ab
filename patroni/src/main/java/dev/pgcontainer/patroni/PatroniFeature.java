package dev.pgcontainer.patroni;

import dev.pgcontainer.configrender.ConfigLayout;
import dev.pgcontainer.configrender.Quoting;
import dev.pgcontainer.configrender.RenderInput;
import dev.pgcontainer.configrender.RenderedFile;
import dev.pgcontainer.configrender.ServerConfigPart;
import dev.pgcontainer.core.FeatureSettingsRules;
import dev.pgcontainer.core.Settings;
import dev.pgcontainer.feature.Feature;
import dev.pgcontainer.health.FeatureCheck;
import dev.pgcontainer.health.Probe;
import dev.pgcontainer.instance.Leftover;
import dev.pgcontainer.instance.ServerManager;
import dev.pgcontainer.supervision.StopLadder;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Patroni with {@code PATRONI_ENABLE=true}: Patroni manages this member's postgres ({@link
 * PatroniRun}) from {@code patroni.yml} ({@link PatroniConfig}); pg_hba.conf lets the other members
 * in.
 */
public final class PatroniFeature implements Feature {

  private static final PatroniRules RULES = new PatroniRules();

  /**
   * {@code patroni}: Patroni's own view from its REST API, inside the launcher and outside alike.
   */
  static final FeatureCheck CHECK =
      new FeatureCheck() {
        @Override
        public String name() {
          return PatroniProbe.NAME;
        }

        @Override
        public int rank() {
          return 20;
        }

        @Override
        public Probe probe(Settings settings, Duration deadline) {
          return PatroniProbe.forSettings(settings, deadline);
        }
      };

  @Override
  public String name() {
    return "patroni";
  }

  @Override
  public Optional<FeatureSettingsRules<?>> settingsRules() {
    return Optional.of(RULES);
  }

  @Override
  public boolean enabled(Settings settings) {
    return PatroniSettings.of(settings).enabled();
  }

  @Override
  public Optional<ServerManager> serverManager() {
    return Optional.of(new PatroniRun());
  }

  @Override
  public Optional<FeatureCheck> check() {
    return Optional.of(CHECK);
  }

  /** A Patroni on this PGDATA, and the postgres it runs, stopped as a running member is. */
  @Override
  public List<Leftover> leftovers(Settings settings) {
    Path configFile = ConfigLayout.of(settings).file(PatroniConfig.FILE);
    return List.of(
        new Leftover(
            "Patroni",
            process -> isPatroni(process, configFile),
            StopLadder.termThenKill(settings.timeout()).steps()));
  }

  /**
   * Patroni is a Python program: the command line is read only of a Python interpreter's processes.
   */
  private static boolean isPatroni(ProcessHandle process, Path configFile) {
    String program =
        Leftover.executable(process).map(exe -> exe.getFileName().toString()).orElse("");
    if (!program.startsWith("python") && !program.equals("patroni")) {
      return false;
    }
    List<String> arguments = Leftover.commandLine(process);
    return arguments.contains(configFile.toString())
        && arguments.stream()
            .anyMatch(argument -> argument.equals("patroni") || argument.endsWith("/patroni"));
  }

  /**
   * Streaming replication from other members; pg_rewind and Patroni's checks of the leader as the
   * superuser.
   */
  @Override
  public ServerConfigPart serverConfig(RenderInput input, ConfigLayout layout) {
    Settings settings = input.settings();
    String method = settings.externalAccess().method().keyword();
    String replicationUser = Quoting.hbaToken(PatroniSettings.of(settings).replicationUser());
    String superuser = Quoting.hbaToken(settings.superuser().name());
    List<String> hba =
        List.of(
            "# Patroni: streaming replication from other members; pg_rewind and Patroni's checks of the leader as the"
                + " superuser",
            "host    replication  " + replicationUser + "  0.0.0.0/0  " + method,
            "host    replication  " + replicationUser + "  ::/0       " + method,
            "host    postgres     " + superuser + "  0.0.0.0/0  " + method,
            "host    postgres     " + superuser + "  ::/0       " + method);
    return new ServerConfigPart(hba, List.of(), List.of(), Map.of());
  }

  /**
   * {@code patroni.yml}.
   *
   * @throws dev.pgcontainer.core.ConfigurationException for every value Patroni would ignore or
   *     cannot pass on
   */
  @Override
  public List<RenderedFile> configFiles(RenderInput input, ConfigLayout layout) {
    return List.of(
        RenderedFile.config(layout.file(PatroniConfig.FILE), PatroniConfig.of(input).toYaml()));
  }
}
