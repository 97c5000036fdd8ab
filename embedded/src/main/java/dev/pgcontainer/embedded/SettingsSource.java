package dev.pgcontainer.embedded;

import dev.pgcontainer.backup.BackupSettings;
import dev.pgcontainer.backup.BackupVariable;
import dev.pgcontainer.citus.CitusPreflight;
import dev.pgcontainer.configrender.ConfigRenderer;
import dev.pgcontainer.configrender.RenderInput;
import dev.pgcontainer.core.ConfigurationException;
import dev.pgcontainer.core.ConfigurationProblem;
import dev.pgcontainer.core.PgInstallation;
import dev.pgcontainer.core.PgcontainerException;
import dev.pgcontainer.core.ServerParameterCatalogue;
import dev.pgcontainer.core.ServerSettingsValidator;
import dev.pgcontainer.core.Settings;
import dev.pgcontainer.core.Settings.ServerSetting;
import dev.pgcontainer.core.SettingsRule;
import dev.pgcontainer.core.Variable;
import dev.pgcontainer.instance.ClusterTemplates;
import dev.pgcontainer.instance.InitScripts;
import dev.pgcontainer.instance.PostgresRun;
import dev.pgcontainer.instance.ServerDirectories;
import dev.pgcontainer.instance.ServerRun;
import dev.pgcontainer.instance.ServerUser;
import dev.pgcontainer.patroni.PatroniSettings;
import dev.pgcontainer.patroni.WatchdogDevice;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.function.Function;

/**
 * Where commands get their Settings: the one validation that {@code validate}, {@code render},
 * {@code run}, {@code prepare} and the library share, so that they accept and refuse alike, with
 * the same messages, each reporting every problem in one pass, including what would only fail later
 * in a run. See docs/configuration.md, Validation.
 */
public final class SettingsSource {

  /** Names the OS user the server runs as when the launcher is root. */
  public static final String RUN_AS_VARIABLE = "PGCONTAINER_RUN_AS";

  /**
   * Names the directory of the init scripts (default the official image's
   * /docker-entrypoint-initdb.d).
   */
  public static final String INIT_SCRIPTS_VARIABLE = "PGCONTAINER_INITDB_SCRIPTS";

  /**
   * Names the directory of cluster templates that a first start copies instead of running initdb
   * (the image sets it); unset or empty: initdb always.
   */
  public static final String CLUSTER_TEMPLATES_VARIABLE = "PGCONTAINER_CLUSTER_TEMPLATES";

  private SettingsSource() {}

  /**
   * The installed server {@code finder} finds, for the validation to ask. When PG_BINDIR names no
   * server, that is reported with every other problem of the environment (judged without a server).
   */
  public static Optional<PgInstallation> installation(
      Map<String, String> env, Function<Map<String, String>, Optional<PgInstallation>> finder) {
    try {
      return finder.apply(env);
    } catch (ConfigurationException noServer) {
      List<ConfigurationProblem> problems = new ArrayList<>(noServer.problems());
      try {
        withServerCatalogue(env, Optional.empty());
      } catch (ConfigurationException more) {
        more.problems().stream()
            .filter(p -> !p.variable().equals(Variable.PG_BINDIR.name()))
            .forEach(problems::add);
      }
      throw new ConfigurationException(problems);
    }
  }

  /**
   * For {@code validate} and {@code render}: without an installation, server settings are checked
   * for form only.
   */
  public static Settings withServerCatalogue(
      Map<String, String> env, Optional<PgInstallation> installation) {
    return withServerCatalogue(env, List.of(), installation);
  }

  /**
   * As {@link #withServerCatalogue(Map, Optional)}, with the server settings of the command line as
   * in {@link #forRun}.
   */
  public static Settings withServerCatalogue(
      Map<String, String> env,
      List<ServerSetting> commandLine,
      Optional<PgInstallation> installation) {
    return judged(
        env, commandLine, installation, ServerParameterCatalogue.validatorFor(installation));
  }

  /**
   * For {@code run}: as {@link #withServerCatalogue}, where settings the same server accepted at an
   * earlier start (in the config directory) are not judged again; the memo of accepted settings is
   * written only once the settings are valid as a whole, so that a refused run changes nothing. The
   * server settings of the command line ({@code pgcontainer postgres -c name=value}) are judged
   * with the environment's and win over them.
   */
  public static Settings forRun(
      Map<String, String> env, List<ServerSetting> commandLine, PgInstallation installation) {
    Optional<ServerParameterCatalogue> remembering = rememberingCatalogue(env, installation);
    Settings settings =
        judged(
            env,
            commandLine,
            Optional.of(installation),
            remembering
                .<ServerSettingsValidator>map(c -> c)
                .orElseGet(() -> ServerParameterCatalogue.of(installation)));
    remembering.ifPresent(ServerParameterCatalogue::rememberAccepted);
    return settings;
  }

  /**
   * For {@code prepare}, the root step before {@code run}: as {@link #forRun}, but it never writes
   * the memo.
   */
  public static Settings forPrepare(
      Map<String, String> env, List<ServerSetting> commandLine, PgInstallation installation) {
    return judged(
        env,
        commandLine,
        Optional.of(installation),
        rememberingCatalogue(env, installation)
            .<ServerSettingsValidator>map(c -> c)
            .orElseGet(() -> ServerParameterCatalogue.of(installation)));
  }

  /**
   * The catalogue remembering in PGCONFIG, when PGCONFIG is an absolute path (else the validation
   * reports it).
   */
  private static Optional<ServerParameterCatalogue> rememberingCatalogue(
      Map<String, String> env, PgInstallation installation) {
    String config =
        env.getOrDefault(Variable.PGCONFIG.name(), Variable.PGCONFIG.defaultValue().orElseThrow())
            .trim();
    try {
      Path directory = Path.of(config);
      return directory.isAbsolute() && config.indexOf('\n') < 0
          ? Optional.of(ServerParameterCatalogue.rememberingIn(installation, directory.normalize()))
          : Optional.empty();
    } catch (InvalidPathException e) {
      return Optional.empty();
    }
  }

  private static Settings judged(
      Map<String, String> env,
      List<ServerSetting> commandLine,
      Optional<PgInstallation> installation,
      ServerSettingsValidator validator) {
    List<SettingsRule> rules =
        new ArrayList<>(
            List.of(
                SettingsSource::unsupported,
                SettingsSource::renderable,
                settings ->
                    ServerDirectories.of(settings, Features.parts(settings).directories())
                        .problems(),
                settings -> watchdog(settings, env),
                settings -> initScriptProblems(settings, env)));
    installation.ifPresent(
        server -> rules.add(settings -> CitusPreflight.problems(settings, server)));
    return Settings.fromEnvironment(
        env, Settings.hostName(env), validator, Features.settingsRules(), rules, commandLine);
  }

  /**
   * Without a server, for the commands that only read the settings ({@code backup}, {@code citus
   * status}): server settings are checked for form only.
   */
  public static Settings offline(Map<String, String> env) {
    return Settings.fromEnvironment(
        env,
        Settings.hostName(env),
        ServerSettingsValidator.offline(),
        Features.settingsRules(),
        List.of(SettingsSource::unsupported),
        List.of());
  }

  /**
   * What rendering the files would refuse (e.g. a value Patroni would ignore), rendered in memory
   * only.
   */
  private static List<ConfigurationProblem> renderable(Settings settings) {
    try {
      ConfigRenderer.withDefaultTemplates()
          .render(
              RenderInput.of(settings, ServerRun.DEFAULT_SERVER_USER)
                  .withContributors(Features.enabled(settings)));
      return List.of();
    } catch (ConfigurationException e) {
      return e.problems();
    } catch (IllegalArgumentException | NoSuchElementException e) {
      // Only a value already reported gets here (the rules see such values as given, or unset): its
      // problem says it.
      return List.of();
    }
  }

  /**
   * A required watchdog the server's user could not use. Without that user (as root, none called
   * PGCONTAINER_RUN_AS) there is nothing to judge; the run says so.
   */
  private static List<ConfigurationProblem> watchdog(Settings settings, Map<String, String> env) {
    if (!PatroniSettings.of(settings).enabled()) {
      return List.of();
    }
    try {
      return WatchdogDevice.problem(PatroniSettings.of(settings), serverUser(settings, env))
          .stream()
          .toList();
    } catch (PgcontainerException e) {
      return List.of();
    }
  }

  /**
   * Valid settings the launcher cannot carry out are configuration errors too, before anything is
   * touched.
   */
  private static List<ConfigurationProblem> unsupported(Settings settings) {
    if (PatroniSettings.of(settings).enabled() && BackupSettings.of(settings).restoreFromBackup()) {
      return List.of(
          ConfigurationProblem.of(
              BackupVariable.RESTORE_FROM_BACKUP.name(),
              "true",
              "under Patroni, Patroni makes the cluster: restore without it first (PATRONI_ENABLE=false, then pgcontainer"
                  + " run or pgcontainer restore), then start Patroni on the restored PGDATA"));
    }
    return List.of();
  }

  /** The init scripts' directory; a relative one is reported by {@link #initScriptProblems}. */
  public static InitScripts initScripts(Map<String, String> env) {
    String directory = env.get(INIT_SCRIPTS_VARIABLE);
    return directory == null || directory.isBlank()
        ? InitScripts.in(InitScripts.DEFAULT_DIRECTORY)
        : InitScripts.in(Path.of(directory.trim()));
  }

  /** The cluster templates of {@link #CLUSTER_TEMPLATES_VARIABLE}, if it names a directory. */
  public static Optional<ClusterTemplates> clusterTemplates(Map<String, String> env) {
    String directory = env.get(CLUSTER_TEMPLATES_VARIABLE);
    return directory == null || directory.isBlank()
        ? Optional.empty()
        : Optional.of(ClusterTemplates.in(Path.of(directory.trim())));
  }

  /**
   * A relative init scripts' directory; and init scripts for a Patroni member: Patroni bootstraps
   * the cluster itself, on whichever member wins the race, so the launcher has no first
   * initialisation to run them in. Rather than ignore them silently, such a member does not start,
   * before anything is touched.
   */
  private static List<ConfigurationProblem> initScriptProblems(
      Settings settings, Map<String, String> env) {
    String directory = env.get(INIT_SCRIPTS_VARIABLE);
    if (directory != null && !directory.isBlank() && !Path.of(directory.trim()).isAbsolute()) {
      return List.of(
          ConfigurationProblem.of(
              INIT_SCRIPTS_VARIABLE,
              directory,
              "must be an absolute path, e.g. /docker-entrypoint-initdb.d"));
    }
    if (!PatroniSettings.of(settings).enabled()
        || settings.sleepMode()
        || initScripts(env).scripts().isEmpty()) {
      return List.of();
    }
    return List.of(
        ConfigurationProblem.of(
            INIT_SCRIPTS_VARIABLE,
            initScripts(env).directory().toString(),
            "holds init scripts, which are not run with PATRONI_ENABLE=true (Patroni makes the cluster): remove them"
                + " (or mount them elsewhere) and run them once against the leader with psql, or start without Patroni"));
  }

  /**
   * The OS user the server runs as, which the backup and restore commands run pgBackRest and
   * postgres as.
   */
  public static ServerUser serverUser(Settings settings, Map<String, String> env) {
    ServerRun run = ServerRun.of(settings, null, env, PostgresRun.standalone());
    String runAs = env.get(RUN_AS_VARIABLE);
    return (runAs == null || runAs.isBlank() ? run : run.withServerUserWhenRoot(runAs.trim()))
        .serverUser();
  }
}
