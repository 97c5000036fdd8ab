package dev.pgcontainer.configrender;

import dev.pgcontainer.core.Settings;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The server settings {@code CITUS_ENABLE=true} brings to the launcher's files: citus first in {@code
 * shared_preload_libraries} (under Patroni, Patroni does that), {@code citus.node_conninfo = 'sslmode=prefer'} and
 * {@code wal_level = 'logical'}, before the user's postgresql.conf so that it and the environment override them; {@code
 * max_prepared_transactions} is left to Citus. Why each: docs/citus.md, Settings.
 */
final class CitusConf {

  static final String LIBRARY = "citus";
  static final String SHARED_PRELOAD_LIBRARIES = "shared_preload_libraries";
  static final String NODE_CONNINFO = "sslmode=prefer";
  static final String WAL_LEVEL = "logical";

  private CitusConf() {}

  /** {@code citus} first, then the libraries of {@code userValue} (a comma-separated list) without citus. */
  static String sharedPreloadLibraries(Optional<String> userValue) {
    List<String> libraries = new ArrayList<>(List.of(LIBRARY));
    userValue.stream()
        .flatMap(value -> Arrays.stream(value.split(",")))
        .map(String::trim)
        .filter(library -> !library.isEmpty() && !library.equals(LIBRARY) && !libraries.contains(library))
        .forEach(libraries::add);
    return String.join(",", libraries);
  }

  /** The merged list for {@code settings}, from its {@code POSTGRESQL_SHARED_PRELOAD_LIBRARIES} if any. */
  static String sharedPreloadLibraries(Settings settings) {
    return sharedPreloadLibraries(settings.serverSetting(SHARED_PRELOAD_LIBRARIES));
  }
}
