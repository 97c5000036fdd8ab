package dev.pgcontainer.citus;

/**
 * Every statement the adapter sends, in one place: unit tests compare what is sent against these.
 * Catalog names are schema-qualified, so a user's objects of the same name cannot stand in for
 * them.
 */
final class CitusSql {

  /**
   * The extension's library version and the version created in the database (NULL when not
   * created).
   */
  static final String EXTENSION_VERSIONS =
      "SELECT default_version, installed_version FROM pg_catalog.pg_available_extensions WHERE name = 'citus'";

  static final String CREATE_EXTENSION = "CREATE EXTENSION IF NOT EXISTS citus";

  static final String DATABASE_EXISTS = "SELECT 1 FROM pg_catalog.pg_database WHERE datname = ?";

  /** The coordinator's own entry: group 0, the primary. */
  static final String COORDINATOR_ENTRY =
      "SELECT nodename, nodeport, shouldhaveshards FROM pg_catalog.pg_dist_node"
          + " WHERE groupid = 0 AND noderole = 'primary'";

  static final String SET_COORDINATOR_HOST = "SELECT pg_catalog.citus_set_coordinator_host(?, ?)";

  /** A coordinator entry is made without shards; a standalone node must hold them. */
  static final String HOLD_SHARDS =
      "SELECT pg_catalog.citus_set_node_property(?, ?, 'shouldhaveshards', true)";

  /** A node by the address the coordinator reaches it at. */
  static final String NODE_ID =
      "SELECT nodeid FROM pg_catalog.pg_dist_node WHERE nodename = ? AND nodeport = ?";

  static final String ADD_NODE = "SELECT pg_catalog.citus_add_node(?, ?)";

  /** On a worker: its group, 0 until a coordinator added it (and synced its metadata to it). */
  static final String LOCAL_GROUP = "SELECT groupid FROM pg_catalog.pg_dist_local_group";

  /** On the coordinator: the primary of a group, by whatever name it was added. */
  static final String PRIMARY_OF_GROUP =
      "SELECT nodeid, nodename, nodeport FROM pg_catalog.pg_dist_node"
          + " WHERE groupid = ? AND noderole = 'primary'";

  static final String NODES =
      "SELECT nodeid, groupid, nodename, nodeport, noderole, isactive FROM pg_catalog.pg_dist_node"
          + " ORDER BY groupid, nodeid";

  /** True on a replica, whose catalog follows its primary's through the WAL. */
  static final String IN_RECOVERY = "SELECT pg_catalog.pg_is_in_recovery()";

  static final String EXTENSION_CREATED =
      "SELECT 1 FROM pg_catalog.pg_extension WHERE extname = 'citus'";

  /** Sets a setting for the rest of the session. */
  static final String SET_FOR_SESSION = "SELECT pg_catalog.set_config(?, ?, false)";

  /** The connection options this node's server uses to reach every node (nodeid 0) as a role. */
  static final String AUTHINFO =
      "SELECT authinfo FROM pg_catalog.pg_dist_authinfo WHERE nodeid = 0 AND rolename = ?";

  static final String UPDATE_AUTHINFO =
      "UPDATE pg_catalog.pg_dist_authinfo SET authinfo = ? WHERE nodeid = 0 AND rolename = ?";

  static final String INSERT_AUTHINFO =
      "INSERT INTO pg_catalog.pg_dist_authinfo (nodeid, rolename, authinfo) VALUES (0, ?, ?)";

  private CitusSql() {}

  /**
   * {@code name} as a quoted SQL identifier, for statements that take no parameters (CREATE
   * DATABASE).
   */
  static String quoteIdentifier(String name) {
    return "\"" + name.replace("\"", "\"\"") + "\"";
  }
}
