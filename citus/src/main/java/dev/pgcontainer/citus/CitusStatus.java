package dev.pgcontainer.citus;

import java.util.List;
import java.util.Objects;

/**
 * A Citus node as its own server describes it: for {@code pgcontainer citus status} and {@code
 * /metrics}.
 *
 * @param role {@code CITUS_ROLE}
 * @param database {@code CITUS_DATABASE}
 * @param extensionVersion the citus extension created in that database, empty when it is not
 * @param nodes every row of {@code pg_dist_node} this node holds (workers hold the coordinator's
 *     copy once it synced its metadata to them)
 */
record CitusStatus(
    CitusRole role, String database, String extensionVersion, List<CitusNode> nodes) {

  public CitusStatus {
    Objects.requireNonNull(role, "role");
    Objects.requireNonNull(database, "database");
    Objects.requireNonNull(extensionVersion, "extensionVersion");
    nodes = List.copyOf(nodes);
  }

  /** The registered workers: every node outside the coordinator's group. */
  public List<CitusNode> workers() {
    return nodes.stream().filter(CitusNode::isWorker).toList();
  }

  /** Workers that take queries: active primaries. */
  public long activeWorkers() {
    return workers().stream()
        .filter(node -> node.active() && node.role().equals("primary"))
        .count();
  }
}
