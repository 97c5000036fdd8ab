package dev.pgcontainer.patroni;

import dev.pgcontainer.core.Settings;
import dev.pgcontainer.health.Probe;
import dev.pgcontainer.health.ProbeResult;
import dev.pgcontainer.health.ProbeStatus;
import dev.pgcontainer.health.Sizes;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.HttpURLConnection;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * {@code patroni}: Patroni's own view from {@code GET /patroni} on its REST API: state, role
 * ({@code master} in Patroni 3, {@code primary} in 4: both mean primary), replay lag of a replica
 * and a pending restart. DEGRADED, not UP: a member in failsafe mode (etcd unreachable, the primary
 * kept by failsafe_mode), a member whose Patroni has not reached the DCS for longer than loop_wait
 * + retry_timeout (cut off from etcd: a primary is about to be demoted), and a member of a cluster
 * nobody leads ({@code cluster_unlocked}). UP "not enabled" when PATRONI_ENABLE is false: nothing
 * is wrong then.
 */
final class PatroniProbe implements Probe {

  static final String NAME = "patroni";

  /** Patroni states on the way to "running". */
  private static final Set<String> STARTING_STATES =
      Set.of(
          "starting",
          "restarting",
          "creating replica",
          "initializing new cluster",
          "running custom bootstrap script",
          "starting after custom bootstrap",
          "waiting for leader to bootstrap");

  private final boolean enabled;
  private final URI uri;
  private final Duration timeout;
  private final Duration dcsSilenceLimit;
  private final Clock clock;

  private PatroniProbe(
      boolean enabled, URI uri, Duration timeout, Duration dcsSilenceLimit, Clock clock) {
    this.enabled = enabled;
    this.uri = uri;
    this.timeout = timeout;
    this.dcsSilenceLimit = dcsSilenceLimit;
    this.clock = clock;
  }

  static PatroniProbe forSettings(Settings settings, Duration timeout) {
    return forSettings(settings, timeout, Clock.systemUTC());
  }

  /**
   * As {@link #forSettings(Settings, Duration)}, {@code clock} telling how long ago Patroni's
   * {@code dcs_last_seen} (epoch seconds) was.
   */
  static PatroniProbe forSettings(Settings settings, Duration timeout, Clock clock) {
    PatroniSettings patroni = PatroniSettings.of(settings);
    // Patroni itself gives the DCS this long before it acts (a leader demotes itself): one loop,
    // then its retries
    Duration dcsSilenceLimit =
        Duration.ofSeconds(patroni.loopWaitSeconds() + patroni.retryTimeoutSeconds());
    return new PatroniProbe(
        patroni.enabled(),
        URI.create("http://" + patroni.restApiListen().connectable() + "/patroni"),
        timeout,
        dcsSilenceLimit,
        clock);
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public ProbeResult check() throws IOException {
    if (!enabled) {
      return ProbeResult.up("not enabled");
    }
    Map<String, Object> fields;
    try {
      fields = FlatJson.parse(get());
    } catch (ConnectException e) {
      return ProbeResult.down(
          "nothing answers at " + uri + " (" + e.getMessage() + "): Patroni is not running");
    } catch (SocketTimeoutException e) {
      return ProbeResult.down(
          "Patroni's REST API at " + uri + " did not answer within " + timeout.toMillis() + " ms");
    }
    return verdict(fields);
  }

  /** What Patroni's answer (its fields flattened by {@link FlatJson}) means. */
  ProbeResult verdict(Map<String, Object> fields) {
    String state = String.valueOf(fields.getOrDefault("state", "unknown"));
    String role = normalisedRole(String.valueOf(fields.getOrDefault("role", "unknown")));
    boolean pendingRestart = Boolean.TRUE.equals(fields.get("pending_restart"));
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("state", state);
    details.put("role", role);
    details.put("pending_restart", pendingRestart);
    copy(fields, "timeline", details, "timeline");
    copy(fields, "patroni.version", details, "patroni_version");
    StringBuilder reason = new StringBuilder(role);
    if (fields.get("xlog.received_location") instanceof Long received
        && fields.get("xlog.replayed_location") instanceof Long replayed) {
      details.put("replay_lag_bytes", received - replayed);
      reason.append(", replay lag ").append(Sizes.human(received - replayed));
    }
    if (!state.equals("running")) {
      ProbeStatus status =
          STARTING_STATES.contains(state) ? ProbeStatus.STARTING : ProbeStatus.DOWN;
      return ProbeResult.of(status, "Patroni says postgres is " + state + " (" + role + ")")
          .withDetails(details);
    }
    if (Boolean.TRUE.equals(fields.get("failsafe_mode_is_active"))) {
      details.put("failsafe_mode_is_active", true);
      return ProbeResult.of(
              ProbeStatus.DEGRADED,
              role
                  + " in failsafe mode: etcd is unreachable, and Patroni keeps the"
                  + " primary running while it reaches every member (failsafe_mode_is_active); check etcd")
          .withDetails(details);
    }
    if (fields.get("dcs_last_seen") instanceof Long lastSeen && lastSeen > 0) {
      long silentSeconds = clock.instant().getEpochSecond() - lastSeen;
      if (silentSeconds > dcsSilenceLimit.toSeconds()) {
        details.put("dcs_silent_seconds", silentSeconds);
        return ProbeResult.of(
                ProbeStatus.DEGRADED,
                role
                    + " cut off from the DCS: Patroni last reached etcd "
                    + silentSeconds
                    + " s ago (more than loop_wait + retry_timeout, "
                    + dcsSilenceLimit.toSeconds()
                    + " s)"
                    + (role.equals("primary")
                        ? "; Patroni demotes a primary that cannot reach etcd"
                        : "")
                    + "; check etcd"
                    + " and this member's network")
            .withDetails(details);
      }
    }
    if (Boolean.TRUE.equals(fields.get("cluster_unlocked"))) {
      details.put("cluster_unlocked", true);
      return ProbeResult.of(
              ProbeStatus.DEGRADED,
              role.equals("primary")
                  ? "primary without the leader key (cluster_unlocked): Patroni demotes it unless it gets the key back from"
                      + " the DCS; check etcd"
                  : role
                      + " in a cluster without a leader (cluster_unlocked): a failover is under way or etcd is unreachable")
          .withDetails(details);
    }
    if (pendingRestart) {
      return ProbeResult.of(
              ProbeStatus.DEGRADED,
              reason + ", restart pending: a changed setting needs it" + " (patronictl restart)")
          .withDetails(details);
    }
    return ProbeResult.up(reason.toString()).withDetails(details);
  }

  private static String normalisedRole(String role) {
    return role.equals("master") ? "primary" : role;
  }

  private static void copy(
      Map<String, Object> from, String key, Map<String, Object> to, String as) {
    if (from.containsKey(key)) {
      to.put(as, from.get(key));
    }
  }

  private byte[] get() throws IOException {
    HttpURLConnection connection = (HttpURLConnection) uri.toURL().openConnection();
    connection.setConnectTimeout((int) timeout.toMillis());
    connection.setReadTimeout((int) timeout.toMillis());
    connection.setRequestProperty("Accept", "application/json");
    try {
      // /patroni answers 200 whatever the state; a 503 carries the same JSON, so both are read
      InputStream body =
          connection.getResponseCode() < 400
              ? connection.getInputStream()
              : connection.getErrorStream();
      if (body == null) {
        throw new IOException(
            "Patroni answered HTTP " + connection.getResponseCode() + " without a body");
      }
      try (body) {
        return body.readAllBytes();
      }
    } finally {
      connection.disconnect();
    }
  }
}
