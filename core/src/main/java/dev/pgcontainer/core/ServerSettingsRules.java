package dev.pgcontainer.core;

import dev.pgcontainer.core.Settings.ServerSetting;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * The server settings: {@code POSTGRESQL_*} variables, then those of the command line (which win,
 * placed last), judged by the installed server's catalogue where there is one.
 */
final class ServerSettingsRules {

  private static final Pattern SERVER_SETTING_NAME = Pattern.compile("^[A-Z][A-Z0-9_]*[A-Z0-9]$");

  private final EnvironmentReader reader;
  private final ServerSettingsValidator serverSettingsValidator;
  private final List<ServerSetting> commandLineSettings;

  ServerSettingsRules(
      EnvironmentReader reader,
      ServerSettingsValidator serverSettingsValidator,
      List<ServerSetting> commandLineSettings) {
    this.reader = reader;
    this.serverSettingsValidator = serverSettingsValidator;
    this.commandLineSettings = commandLineSettings;
  }

  /**
   * Server parameters the launcher must know to find the server, mapped to the variable that sets
   * them.
   */
  private static final Map<String, String> LAUNCHER_OWNED_PARAMETERS =
      Map.of(
          "data_directory", Variable.PGDATA.name(),
          "config_file", Variable.PGCONFIG.name(),
          "unix_socket_directories", Variable.PGSOCKET.name());

  List<ServerSetting> read() {
    List<ServerSetting> settings = new ArrayList<>();
    for (Map.Entry<String, String> entry : new TreeMap<>(reader.environment()).entrySet()) {
      String variable = entry.getKey();
      if (!variable.startsWith(Variable.SERVER_SETTING_PREFIX)) {
        continue;
      }
      String suffix = variable.substring(Variable.SERVER_SETTING_PREFIX.length());
      if (!SERVER_SETTING_NAME.matcher(suffix).matches()
          || suffix.contains("___")
          || suffix.startsWith("_")) {
        reader.problem(
            ConfigurationProblem.of(
                variable,
                entry.getValue(),
                "not a server setting name: use POSTGRESQL_ followed by the setting in upper case, with __ for a dot"
                    + " (e.g. POSTGRESQL_SHARED_BUFFERS, POSTGRESQL_PG_STAT_STATEMENTS__MAX)"));
        continue;
      }
      addIfWritable(
          new ServerSetting(variable, ServerSetting.parameterName(variable), entry.getValue()),
          settings);
    }
    for (ServerSetting setting : commandLineSettings) {
      addIfWritable(setting, settings);
    }
    // Settings.port() and every file naming the port read a decimal number; the server's catalogue
    // would also take e.g. 0x1538, and is not asked about a port already reported here.
    List<ServerSetting> judged = new ArrayList<>(settings.size());
    for (ServerSetting setting : settings) {
      if (!setting.name().equals("port")
          || reader.validPort(setting.variable(), setting.value()).isPresent()) {
        judged.add(setting);
      }
    }
    ServerSettingsValidator.Result checked = serverSettingsValidator.validate(judged);
    for (ConfigurationProblem problem : checked.problems()) {
      reader.problem(problem);
    }
    if (checked.skippedReason().isPresent()) {
      reader.warn("server settings not checked: " + checked.skippedReason().get());
    }
    // Without a port it cannot read, Settings.port() gives the default to the rules that run
    // despite problems.
    return judged;
  }

  /**
   * Adds {@code setting} unless the launcher owns its parameter or its value holds NUL or another
   * control character, which are problems.
   */
  private void addIfWritable(ServerSetting setting, List<ServerSetting> settings) {
    String launcherVariable = LAUNCHER_OWNED_PARAMETERS.get(setting.name());
    if (launcherVariable != null) {
      reader.problem(
          ConfigurationProblem.of(
              setting.variable(),
              setting.value(),
              "the launcher sets this parameter itself: use " + launcherVariable + " instead"));
    } else if (setting.value().indexOf('\0') >= 0) {
      reader.problem(
          ConfigurationProblem.of(
              setting.variable(),
              setting.value(),
              "a setting value cannot contain a NUL character"));
    } else if (EnvironmentReader.controlCharacter(setting.value()).isPresent()) {
      reader.problem(
          ConfigurationProblem.of(
              setting.variable(),
              setting.value(),
              "must not contain a control character (here "
                  + EnvironmentReader.controlCharacter(setting.value()).get()
                  + "): the server would take the value cut short or not at all: write it on one line, without"
                  + " escape sequences"));
    } else {
      settings.add(setting);
    }
  }
}
