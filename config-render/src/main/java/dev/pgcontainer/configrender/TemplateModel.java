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

/** Builds the view every template receives (its keys are documented on {@link ConfigRenderer}). */
final class TemplateModel {

  /** The pg_ident.conf map that local (peer) connections use. */
  private static final String IDENT_MAP = "pgcontainer";

  private final List<ConfigurationProblem> problems = new ArrayList<>();

  private TemplateModel() {}

  /**
   * @throws ConfigurationException when a value cannot be written in its file's syntax (every such
   *     value at once)
   */
  static Map<String, Object> of(
      RenderInput input, ConfigLayout layout, List<ServerConfigPart> parts) {
    return new TemplateModel().build(input, layout, parts);
  }

  private Map<String, Object> build(
      RenderInput input, ConfigLayout layout, List<ServerConfigPart> parts) {
    Settings settings = input.settings();
    Settings.Directories directories = settings.directories();
    AuthMethod method = settings.externalAccess().method();

    Map<String, Object> conf = new HashMap<>();
    conf.put("hbaFile", confPath(layout.hbaFile()));
    conf.put("identFile", confPath(layout.identFile()));
    conf.put("userConfigFile", confPath(layout.userConfigFile()));
    conf.put("environmentConfigFile", confPath(layout.environmentConfigFile()));
    conf.put(
        "listenAddresses",
        PostgresqlConf.quote(settings.externalAccess().enabled() ? "*" : "localhost"));
    conf.put(
        "unixSocketDirectories",
        PostgresqlConf.quote(Quoting.directoryListEntry(directories.socket().toString())));
    // md5 clients need md5 hashes; for scram and password a scram hash is the safe way to store it.
    conf.put(
        "passwordEncryption",
        PostgresqlConf.quote(
            method == AuthMethod.MD5 ? "md5" : AuthMethod.SCRAM_SHA_256.keyword()));
    conf.put("logDirectory", confPath(directories.log()));
    conf.put("settings", serverSettings(settings, parts));
    List<Map<String, String>> beforeUserConfig = new ArrayList<>();
    List<Map<String, String>> afterUserConfig = new ArrayList<>();
    List<Map<String, String>> hbaLines = new ArrayList<>();
    for (ServerConfigPart part : parts) {
      addLines(beforeUserConfig, part.beforeUserConfig());
      addLines(afterUserConfig, part.afterUserConfig());
      addLines(hbaLines, part.hbaLines());
    }
    conf.put("beforeUserConfig", beforeUserConfig);
    conf.put("afterUserConfig", afterUserConfig);

    Map<String, Object> hba = new HashMap<>();
    hba.put("authMethod", method.keyword());
    hba.put("identMap", IDENT_MAP);
    // Settings rejects names with a line break, the one thing these line-based files cannot hold.
    hba.put("serverOsUser", Quoting.hbaToken(input.serverOsUser()));
    hba.put("superuser", Quoting.hbaToken(settings.superuser().name()));
    hba.put("featureLines", hbaLines);

    if (!problems.isEmpty()) {
      throw new ConfigurationException(problems);
    }
    return Map.of("conf", conf, "hba", hba, "externalAccess", settings.externalAccess().enabled());
  }

  private static void addLines(List<Map<String, String>> lines, List<String> added) {
    for (String line : added) {
      lines.add(Map.of("line", line));
    }
  }

  private static String confPath(Path path) {
    return PostgresqlConf.quote(path.toString());
  }

  /** The {@code POSTGRESQL_*} lines, with the values the features write instead of some. */
  private List<Map<String, String>> serverSettings(
      Settings settings, List<ServerConfigPart> parts) {
    List<Map<String, String>> lines = new ArrayList<>();
    for (ServerSetting given : settings.serverSettings()) {
      ServerSetting setting = given;
      for (ServerConfigPart part : parts) {
        String value = part.serverSettingValues().get(setting.name());
        if (value != null) {
          setting = new ServerSetting(setting.variable(), setting.name(), value);
        }
      }
      Optional<String> nameProblem = PostgresqlConf.nameProblem(setting.name());
      if (nameProblem.isPresent()) {
        problems.add(
            ConfigurationProblem.of(setting.variable(), setting.value(), nameProblem.get()));
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

  private static ConfigurationProblem unwritable(
      String variable, String value, IllegalArgumentException e) {
    return ConfigurationProblem.of(variable, value, e.getMessage() + ": choose a value without it");
  }
}
