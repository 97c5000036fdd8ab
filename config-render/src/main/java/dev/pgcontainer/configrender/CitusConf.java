package dev.pgcontainer.configrender;

import dev.pgcontainer.core.Settings;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The server settings {@code CITUS_ENABLE=true} brings to the launcher's files (under Patroni, Patroni puts citus
 * first in shared_preload_libraries itself).
 *
 * <ul>
 *   <li>{@code shared_preload_libraries}: Citus must be loaded first; the user's libraries from {@code
 *       POSTGRESQL_SHARED_PRELOAD_LIBRARIES} follow, in their order, without a second citus.
 *   <li>{@code citus.node_conninfo = 'sslmode=prefer'}: Citus' own default, {@code sslmode=require}, makes {@code
 *       CREATE EXTENSION citus} turn {@code ssl} on with {@code ALTER SYSTEM} and a self-signed certificate in PGDATA,
 *       which then wins over every file the launcher writes, while an unverified certificate protects against nobody
 *       but a passive listener. {@code prefer} encrypts whenever the other node offers TLS and still connects when it
 *       does not; verification needs the operator's certificates, e.g. {@code
 *       POSTGRESQL_CITUS__NODE_CONNINFO='sslmode=verify-full sslrootcert=/path/ca.crt'}.
 *   <li>{@code wal_level = 'logical'}: Citus moves shards (rebalancing onto a new worker) by logical replication.
 *   <li>{@code max_prepared_transactions} is left alone on purpose: Citus raises it from 0 to twice max_connections
 *       when it loads, wherever max_connections was set (environment, the user's file, ALTER SYSTEM); a value rendered
 *       here could only follow the environment and would go stale.
 * </ul>
 *
 * The base settings come before the user's postgresql.conf, so that and the environment override them.
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
