package dev.pgcontainer.configrender;

import dev.pgcontainer.core.ConfigurationException;
import dev.pgcontainer.core.ConfigurationProblem;
import dev.pgcontainer.core.PostgresqlConf;
import dev.pgcontainer.core.Settings;
import dev.pgcontainer.core.Settings.AuthMethod;
import dev.pgcontainer.core.Settings.ServerSetting;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/** Builds the view every template receives (its keys are documented on {@link ConfigRenderer}). */
final class TemplateModel {

  /** The pg_ident.conf map that local (peer) connections use. */
  private static final String IDENT_MAP = "pgcontainer";

  private final List<ConfigurationProblem> problems = new ArrayList<>();

  private TemplateModel() {}

  /**
   * @throws ConfigurationException when a value cannot be written in its file's syntax (every such value at once)
   */
  static Map<String, Object> of(RenderInput input, ConfigLayout layout) {
    return new TemplateModel().build(input, layout);
  }

  private Map<String, Object> build(RenderInput input, ConfigLayout layout) {
    Settings settings = input.settings();
    Settings.Directories directories = settings.directories();
    AuthMethod method = settings.externalAccess().method();

    Map<String, Object> conf = new HashMap<>();
    conf.put("hbaFile", confPath(layout.hbaFile()));
    conf.put("identFile", confPath(layout.identFile()));
    conf.put("userConfigFile", confPath(layout.userConfigFile()));
    conf.put("environmentConfigFile", confPath(layout.environmentConfigFile()));
    conf.put("listenAddresses", PostgresqlConf.quote(settings.externalAccess().enabled() ? "*" : "localhost"));
    conf.put(
        "unixSocketDirectories",
        PostgresqlConf.quote(Quoting.directoryListEntry(directories.socket().toString())));
    // md5 clients need md5 hashes; for scram and password a scram hash is the safe way to store it.
    conf.put(
        "passwordEncryption",
        PostgresqlConf.quote(method == AuthMethod.MD5 ? "md5" : AuthMethod.SCRAM_SHA_256.keyword()));
    conf.put("logDirectory", confPath(directories.log()));
    conf.put("settings", serverSettings(settings));

    Map<String, Object> hba = new HashMap<>();
    hba.put("authMethod", method.keyword());
    hba.put("identMap", IDENT_MAP);
    // Settings rejects names with a line break, the one thing these line-based files cannot hold.
    hba.put("serverOsUser", Quoting.hbaToken(input.serverOsUser()));
    hba.put("superuser", Quoting.hbaToken(settings.superuser().name()));
    if (settings.patroni().enabled()) {
      hba.put("replicationUser", Quoting.hbaToken(settings.patroni().replicationUser()));
    }

    if (!problems.isEmpty()) {
      throw new ConfigurationException(problems);
    }
    return Map.of(
        "conf", conf,
        "hba", hba,
        "externalAccess", settings.externalAccess().enabled(),
        "patroni", settings.patroni().enabled(),
        "archive", settings.backup().enabled() ? archive(settings, layout) : false,
        "citus", settings.citus().enabled() ? citus(settings) : false);
  }

  /** With {@code CITUS_ENABLE=true}: postgresql.conf literals for the settings of {@link CitusConf}. */
  private static Map<String, String> citus(Settings settings) {
    return Map.of(
        "sharedPreloadLibraries", PostgresqlConf.quote(CitusConf.sharedPreloadLibraries(settings)),
        "nodeConninfo", PostgresqlConf.quote(CitusConf.NODE_CONNINFO),
        "walLevel", PostgresqlConf.quote(CitusConf.WAL_LEVEL));
  }

  /**
   * With {@code BACKUP_ENABLED=true}, every finished WAL segment goes to the stanza's repository: {@code pgbackrest
   * archive-push}, which finds everything else (repository, retention, log and lock paths) in pgbackrest.conf.
   */
  private static Map<String, String> archive(Settings settings, ConfigLayout layout) {
    String command = PgBackRestConfig.command(settings, layout, "archive-push").stream()
        .map(Quoting::serverCommandWord)
        .collect(Collectors.joining(" "));
    return Map.of("mode", PostgresqlConf.quote("on"), "command", PostgresqlConf.quote(command + " %p"));
  }

  private static String confPath(Path path) {
    return PostgresqlConf.quote(path.toString());
  }

  /** The {@code POSTGRESQL_*} lines; with Citus, its library stays first in a user's shared_preload_libraries. */
  private List<Map<String, String>> serverSettings(Settings settings) {
    List<Map<String, String>> lines = new ArrayList<>();
    for (ServerSetting given : settings.serverSettings()) {
      ServerSetting setting = settings.citus().enabled() && given.name().equals(CitusConf.SHARED_PRELOAD_LIBRARIES)
          ? new ServerSetting(given.variable(), given.name(), CitusConf.sharedPreloadLibraries(settings))
          : given;
      Optional<String> nameProblem = PostgresqlConf.nameProblem(setting.name());
      if (nameProblem.isPresent()) {
        problems.add(ConfigurationProblem.of(setting.variable(), setting.value(), nameProblem.get()));
        continue;
      }
      try {
        lines.add(Map.of("name", setting.name(), "value", PostgresqlConf.quote(setting.value())));
      } catch (IllegalArgumentException e) {
        problems.add(unwritable(setting.variable(), setting.value(), e));
      }
    }
    return lines;
  }

  private static ConfigurationProblem unwritable(String variable, String value, IllegalArgumentException e) {
    return ConfigurationProblem.of(variable, value, e.getMessage() + ": choose a value without it");
  }
}
