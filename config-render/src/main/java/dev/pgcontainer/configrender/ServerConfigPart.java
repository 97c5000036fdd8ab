package dev.pgcontainer.configrender;

import java.util.List;
import java.util.Map;

/**
 * Lines a feature adds to the server's files, each already in its file's syntax (values quoted with
 * {@link dev.pgcontainer.core.PostgresqlConf#quote} or {@link Quoting}).
 *
 * @param hbaLines pg_hba.conf lines after the local ones, before those of external access
 * @param beforeUserConfig pgcontainer.conf lines before the user's postgresql.conf, which may
 *     override them
 * @param afterUserConfig pgcontainer.conf lines after the user's postgresql.conf, before the
 *     environment's settings
 * @param serverSettingValues by name, the value written instead of a {@code POSTGRESQL_*} setting's
 *     own (unquoted)
 */
public record ServerConfigPart(
    List<String> hbaLines,
    List<String> beforeUserConfig,
    List<String> afterUserConfig,
    Map<String, String> serverSettingValues) {

  public static final ServerConfigPart NONE =
      new ServerConfigPart(List.of(), List.of(), List.of(), Map.of());

  public ServerConfigPart {
    hbaLines = List.copyOf(hbaLines);
    beforeUserConfig = List.copyOf(beforeUserConfig);
    afterUserConfig = List.copyOf(afterUserConfig);
    serverSettingValues = Map.copyOf(serverSettingValues);
  }
}
