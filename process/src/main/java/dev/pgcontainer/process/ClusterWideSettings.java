package dev.pgcontainer.process;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings the cluster-wide server settings (max_connections, wal_level, ...) in Patroni's DCS configuration to this
 * member's {@code POSTGRESQL_*} values. Patroni reads {@code bootstrap.dcs} only when it creates the cluster, so a later
 * change has to go through {@code PATCH /config}; it takes effect as each member restarts (Patroni then reports
 * "pending restart"). A setting whose variable was removed keeps its value in the DCS: removing a variable says
 * nothing about the value the cluster should have.
 */
final class ClusterWideSettings {

  private static final Logger LOG = LoggerFactory.getLogger(ClusterWideSettings.class);

  private ClusterWideSettings() {}

  /**
   * Patches what differs. Never throws: the server runs on with the old values, so a failure is logged loudly, with
   * what to do.
   */
  static void apply(PatroniRestApi api, Map<String, String> wanted) {
    if (wanted.isEmpty()) {
      return;
    }
    try {
      JsonNode current = api.clusterConfig().path("postgresql").path("parameters");
      Map<String, String> changed = new TreeMap<>();
      wanted.forEach((name, value) -> {
        JsonNode now = current.get(name);
        if (now == null || !now.asText().equalsIgnoreCase(value.trim())) {
          changed.put(name, value);
        }
      });
      if (changed.isEmpty()) {
        LOG.debug("the cluster-wide settings in Patroni's configuration are as given: {}", wanted);
        return;
      }
      api.patchClusterParameters(changed);
      LOG.warn("changed cluster-wide settings in Patroni's configuration: {}. They take effect when each member"
              + " restarts (Patroni shows pending_restart): restart the replicas, then the leader, e.g. with"
              + " POST /restart on each member's REST API or patronictl restart",
          changed.entrySet().stream()
              .map(e -> e.getKey() + " " + current.path(e.getKey()).asText("(unset)") + " -> " + e.getValue())
              .collect(Collectors.joining(", ")));
    } catch (IOException e) {
      LOG.error("could not apply the cluster-wide settings {} through Patroni's REST API at {}: {}. The cluster keeps"
          + " its current values; apply them with patronictl edit-config", wanted, api.base(), HttpCalls.describe(e));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      LOG.error("interrupted while applying the cluster-wide settings {}; apply them with patronictl edit-config",
          wanted);
    }
  }
}
