package dev.pgcontainer.citus;

import java.util.List;

/**
 * One row of {@code pg_dist_node}.
 *
 * @param id nodeid
 * @param group groupid: 0 for the coordinator
 * @param host nodename, the host the other nodes reach it at
 * @param port nodeport
 * @param role noderole: {@code primary} or {@code secondary}
 * @param active isactive
 */
record CitusNode(int id, int group, String host, int port, String role, boolean active) {

  /** Whether it is a worker (any group but the coordinator's). */
  public boolean isWorker() {
    return group != 0;
  }

  /** From the columns of {@link CitusSql#NODES}, as text. */
  static CitusNode fromRow(List<String> row) {
    return new CitusNode(
        Integer.parseInt(row.get(0)),
        Integer.parseInt(row.get(1)),
        row.get(2),
        Integer.parseInt(row.get(3)),
        row.get(4),
        "t".equals(row.get(5)) || "true".equals(row.get(5)));
  }

  @Override
  public String toString() {
    return "group "
        + group
        + " "
        + host
        + ":"
        + port
        + " "
        + role
        + (active ? " active" : " inactive");
  }
}
