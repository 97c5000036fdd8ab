package dev.pgcontainer.process;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pgcontainer.configrender.PatroniConfig;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings Patroni's cluster-wide configuration in the DCS to this member's values: the leader-key timings ({@code
 * PATRONI_TTL}, {@code PATRONI_LOOP_WAIT}, {@code PATRONI_RETRY_TIMEOUT}), {@code PATRONI_SYNCHRONOUS_MODE} and the
 * cluster-wide server settings (max_connections, wal_level, ...). Patroni reads {@code bootstrap.dcs} only when it
 * creates the cluster, so a later change has to go through {@code PATCH /config}. Patroni applies the timings and
 * synchronous mode on its next loop; a server setting takes effect as each member restarts (Patroni then reports
 * "pending restart"). A server setting whose variable was removed keeps its value in the DCS: removing a variable says
 * nothing about the value the cluster should have. The four Patroni settings always have a value (their defaults).
 */
final class ClusterWideSettings {

  private static final Logger LOG = LoggerFactory.getLogger(ClusterWideSettings.class);

  private ClusterWideSettings() {}

  /**
   * Patches what differs, in one {@code PATCH /config}. Never throws: the cluster runs on with the old values, so a
   * failure is logged loudly, with what to do.
   */
  static void apply(PatroniRestApi api, PatroniConfig.Dcs wanted) {
    Map<String, Object> wantedPatroni = patroniSettings(wanted);
    Map<String, String> wantedParameters = wanted.postgresql().parameters();
    try {
      JsonNode config = api.clusterConfig();
      Map<String, Object> changedPatroni = differing(config, wantedPatroni);
      JsonNode currentParameters = config.path("postgresql").path("parameters");
      Map<String, Object> changedParameters = differing(currentParameters, wantedParameters);
      if (changedPatroni.isEmpty() && changedParameters.isEmpty()) {
        LOG.debug("Patroni's cluster-wide configuration is as given: {}, {}", wantedPatroni, wantedParameters);
        return;
      }
      Map<String, Object> patch = new LinkedHashMap<>(changedPatroni);
      if (!changedParameters.isEmpty()) {
        patch.put("postgresql", Map.of("parameters", changedParameters));
      }
      api.patchClusterConfig(patch);
      if (!changedPatroni.isEmpty()) {
        LOG.warn("changed Patroni's cluster-wide configuration: {}. Patroni applies it on its next loop",
            changes(config, changedPatroni));
      }
      if (!changedParameters.isEmpty()) {
        LOG.warn("changed cluster-wide settings in Patroni's configuration: {}. They take effect when each member"
                + " restarts (Patroni shows pending_restart): restart the replicas, then the leader, e.g. with"
                + " POST /restart on each member's REST API or patronictl restart",
            changes(currentParameters, changedParameters));
      }
    } catch (IOException e) {
      LOG.error("could not apply the cluster-wide configuration {} {} through Patroni's REST API at {}: {}. The cluster"
              + " keeps its current values; apply them with patronictl edit-config", wantedPatroni, wantedParameters,
          api.base(), HttpCalls.describe(e));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      LOG.error("interrupted while applying the cluster-wide configuration {} {}; apply them with patronictl"
          + " edit-config", wantedPatroni, wantedParameters);
    }
  }

  /** The settings Patroni itself takes only from the DCS, by their names there. */
  private static Map<String, Object> patroniSettings(PatroniConfig.Dcs dcs) {
    Map<String, Object> settings = new LinkedHashMap<>();
    settings.put("ttl", dcs.ttl());
    settings.put("loop_wait", dcs.loopWait());
    settings.put("retry_timeout", dcs.retryTimeout());
    settings.put("synchronous_mode", dcs.synchronousMode());
    return settings;
  }

  /** The wanted values that {@code current} lacks or holds otherwise (compared as text, ignoring case). */
  private static Map<String, Object> differing(JsonNode current, Map<String, ?> wanted) {
    Map<String, Object> changed = new TreeMap<>();
    wanted.forEach((name, value) -> {
      JsonNode now = current.get(name);
      if (now == null || !now.asText().equalsIgnoreCase(String.valueOf(value).trim())) {
        changed.put(name, value);
      }
    });
    return changed;
  }

  private static String changes(JsonNode current, Map<String, Object> changed) {
    return changed.entrySet().stream()
        .map(e -> e.getKey() + " " + current.path(e.getKey()).asText("(unset)") + " -> " + e.getValue())
        .collect(Collectors.joining(", "));
  }
}
