package dev.pgcontainer.citus;

import dev.pgcontainer.configrender.ServerConfigPart;
import dev.pgcontainer.core.PostgresqlConf;
import dev.pgcontainer.core.Settings;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The server settings {@code CITUS_ENABLE=true} brings to the launcher's files: citus first in
 * {@code shared_preload_libraries} (under Patroni, Patroni does that), {@code citus.node_conninfo =
 * 'sslmode=prefer'} and {@code wal_level = 'logical'}, before the user's postgresql.conf so that it
 * and the environment override them; {@code max_prepared_transactions} is left to Citus. Why each:
 * docs/citus.md, Settings.
 */
final class CitusConf {

  static final String LIBRARY = "citus";
  static final String SHARED_PRELOAD_LIBRARIES = "shared_preload_libraries";
  static final String NODE_CONNINFO = "sslmode=prefer";
  static final String WAL_LEVEL = "logical";

  private CitusConf() {}

  /**
   * {@code citus} first, then the libraries of {@code userValue} (a comma-separated list) without
   * citus.
   */
  static String sharedPreloadLibraries(Optional<String> userValue) {
    List<String> libraries = new ArrayList<>(List.of(LIBRARY));
    userValue.stream()
        .flatMap(value -> Arrays.stream(value.split(",")))
        .map(String::trim)
        .filter(
            library ->
                !library.isEmpty() && !library.equals(LIBRARY) && !libraries.contains(library))
        .forEach(libraries::add);
    return String.join(",", libraries);
  }

  /**
   * The merged list for {@code settings}, from its {@code POSTGRESQL_SHARED_PRELOAD_LIBRARIES} if
   * any.
   */
  static String sharedPreloadLibraries(Settings settings) {
    return sharedPreloadLibraries(settings.serverSetting(SHARED_PRELOAD_LIBRARIES));
  }

  /**
   * The lines of pgcontainer.conf, and citus kept first in a user's {@code
   * POSTGRESQL_SHARED_PRELOAD_LIBRARIES}.
   */
  static ServerConfigPart serverConfig(Settings settings) {
    String libraries = sharedPreloadLibraries(settings);
    List<String> beforeUserConfig =
        List.of(
            "",
            "# CITUS_ENABLE=true. Connections between nodes use TLS when the other node offers it; Citus' own default"
                + " (require)",
            "# would turn ssl on with ALTER SYSTEM and a self-signed certificate. Shards move by logical replication.",
            "# max_prepared_transactions is left to Citus, which raises it from 0 to twice max_connections.",
            "citus.node_conninfo = " + PostgresqlConf.quote(NODE_CONNINFO),
            "wal_level = " + PostgresqlConf.quote(WAL_LEVEL));
    List<String> afterUserConfig =
        List.of(
            "",
            "# CITUS_ENABLE=true: citus must be the first library loaded. This line comes after your postgresql.conf; add"
                + " libraries",
            "# with POSTGRESQL_SHARED_PRELOAD_LIBRARIES, which keeps citus first.",
            SHARED_PRELOAD_LIBRARIES + " = " + PostgresqlConf.quote(libraries));
    return new ServerConfigPart(
        List.of(), beforeUserConfig, afterUserConfig, Map.of(SHARED_PRELOAD_LIBRARIES, libraries));
  }
}
