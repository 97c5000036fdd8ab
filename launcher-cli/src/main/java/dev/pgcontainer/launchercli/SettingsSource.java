package dev.pgcontainer.launchercli;

import dev.pgcontainer.backup.CronSchedule;
import dev.pgcontainer.citus.CitusPreflight;
import dev.pgcontainer.core.ConfigurationProblem;
import dev.pgcontainer.core.PgInstallation;
import dev.pgcontainer.core.ServerParameterCatalogue;
import dev.pgcontainer.core.ServerSettingsValidator;
import dev.pgcontainer.core.Settings;
import dev.pgcontainer.core.Settings.ServerSetting;
import dev.pgcontainer.core.SettingsRule;
import dev.pgcontainer.core.Variable;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Where commands get their Settings: backup schedules parsed as cron expressions, and server settings checked against
 * the installed server's catalogue when there is one, as is what Citus needs of that server.
 */
final class SettingsSource {

  private SettingsSource() {}

  static Settings withServerCatalogue(Map<String, String> env, Optional<PgInstallation> installation) {
    return judged(env, List.of(), installation, ServerParameterCatalogue.validatorFor(installation));
  }

  /**
   * For {@code run}: as {@link #withServerCatalogue}, where settings the same server accepted at an earlier start (in
   * the config directory of {@code offline}) are not judged again. The server settings of the command line ({@code
   * pgcontainer postgres -c name=value}) are judged with the environment's and win over them.
   */
  static Settings forRun(
      Map<String, String> env, List<ServerSetting> commandLine, Settings offline, PgInstallation installation) {
    return judged(env, commandLine, Optional.of(installation),
        ServerParameterCatalogue.rememberingIn(installation, offline.directories().config()));
  }

  private static Settings judged(
      Map<String, String> env, List<ServerSetting> commandLine, Optional<PgInstallation> installation,
      ServerSettingsValidator validator) {
    List<SettingsRule> rules = new ArrayList<>(List.of(SettingsSource::unsupported));
    installation.ifPresent(server -> rules.add(settings -> CitusPreflight.problems(settings, server)));
    return Settings.fromEnvironment(env, Settings.hostName(env), validator, CronSchedule::problem, rules, commandLine);
  }

  /** Without a server: server settings are checked for form only. */
  static Settings offline(Map<String, String> env) {
    return offline(env, List.of());
  }

  /** As {@link #offline(Map)}, with the server settings of the command line as in {@link #forRun}. */
  static Settings offline(Map<String, String> env, List<ServerSetting> commandLine) {
    return Settings.fromEnvironment(env, Settings.hostName(env), ServerSettingsValidator.offline(),
        CronSchedule::problem, List.of(SettingsSource::unsupported), commandLine);
  }

  /** Valid settings the launcher cannot carry out are configuration errors too, before anything is touched. */
  private static List<ConfigurationProblem> unsupported(Settings settings) {
    if (settings.patroni().enabled() && settings.backup().restoreFromBackup()) {
      return List.of(ConfigurationProblem.of(
          Variable.RESTORE_FROM_BACKUP.name(), "true",
          "under Patroni, Patroni makes the cluster: restore without it first (PATRONI_ENABLE=false, then pgcontainer"
              + " run or pgcontainer restore), then start Patroni on the restored PGDATA"));
    }
    return List.of();
  }
}
