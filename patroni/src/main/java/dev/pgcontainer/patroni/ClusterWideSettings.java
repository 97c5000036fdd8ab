package dev.pgcontainer.patroni;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pgcontainer.supervision.HttpCalls;
import dev.pgcontainer.supervision.OsUser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings to Patroni's cluster-wide configuration in the DCS ({@code PATCH /config}) what this
 * member's environment changed since its own last start: the leader-key timings, synchronous mode
 * and the cluster-wide server settings ({@code bootstrap.dcs} is read only when the cluster is
 * created). The DCS is the cluster's, so values the environment did not change are left as the
 * cluster has them; each member remembers its values in {@value #FILE_NAME} in PGDATA. The rules:
 * docs/patroni.md, Cluster-wide settings.
 */
final class ClusterWideSettings {

  private static final Logger LOG = LoggerFactory.getLogger(ClusterWideSettings.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  /** The memory's name in PGDATA. */
  static final String FILE_NAME = "pgcontainer-cluster-wide.json";

  private final Path file;
  private final String member;
  private final Optional<OsUser> owner;
  private Optional<AppliedValues> lastStart;

  private ClusterWideSettings(
      Path file, String member, Optional<OsUser> owner, Optional<AppliedValues> lastStart) {
    this.file = file;
    this.member = member;
    this.owner = owner;
    this.lastStart = lastStart;
  }

  /**
   * What member {@code member} remembers in {@code dataDirectory}: read now, before Patroni starts.
   *
   * @param owner the server's OS user, owner of the file, when the launcher runs as root
   */
  static ClusterWideSettings remembered(Path dataDirectory, String member, Optional<OsUser> owner) {
    Path file = dataDirectory.resolve(FILE_NAME);
    return new ClusterWideSettings(file, member, owner, read(file, member));
  }

  /**
   * Patches, in one {@code PATCH /config}, what this member's environment changed since its last
   * start and the DCS does not hold yet; then remembers {@code wanted}. Never throws: the cluster
   * runs on with the old values, so a failure is logged loudly, with what to do, and the change is
   * tried again on SIGHUP and at the next start.
   */
  synchronized void apply(PatroniRestApi api, PatroniConfig.Dcs wanted) {
    Map<String, Object> wantedPatroni = patroniSettings(wanted);
    Map<String, Object> wantedParameters = new TreeMap<>(wanted.postgresql().parameters());
    Map<String, Object> changedPatroni =
        lastStart.map(last -> changedSince(last.patroni(), wantedPatroni)).orElse(Map.of());
    Map<String, Object> changedParameters =
        lastStart.map(last -> changedSince(last.parameters(), wantedParameters)).orElse(Map.of());
    try {
      JsonNode config = api.clusterConfig();
      JsonNode currentParameters = config.path("postgresql").path("parameters");
      Map<String, Object> patchPatroni = differing(config, changedPatroni);
      Map<String, Object> patchParameters = differing(currentParameters, changedParameters);
      if (!patchPatroni.isEmpty() || !patchParameters.isEmpty()) {
        patch(api, config, patchPatroni, currentParameters, patchParameters);
      }
      logStanding(
          config,
          differing(config, wantedPatroni),
          patchPatroni,
          currentParameters,
          differing(currentParameters, wantedParameters),
          patchParameters);
      remember(new AppliedValues(member, asText(wantedPatroni), asText(wantedParameters)));
    } catch (IOException e) {
      Map<String, Object> changed = new TreeMap<>(changedPatroni);
      changed.putAll(changedParameters);
      if (changed.isEmpty()) {
        LOG.warn(
            "could not compare Patroni's cluster-wide configuration with this member's environment through its"
                + " REST API at {}: {}",
            api.base(),
            HttpCalls.describe(e));
      } else {
        LOG.error(
            "could not bring this member's changes {} to the cluster-wide configuration through Patroni's REST"
                + " API at {}: {}. The cluster keeps its current values; the launcher tries again on SIGHUP and at"
                + " the next start, or apply them with patronictl edit-config",
            changed,
            api.base(),
            HttpCalls.describe(e));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      LOG.error(
          "interrupted while bringing this member's changes {} {} to the cluster-wide configuration; the"
              + " launcher tries again at the next start",
          changedPatroni,
          changedParameters);
    }
  }

  private static void patch(
      PatroniRestApi api,
      JsonNode config,
      Map<String, Object> patchPatroni,
      JsonNode currentParameters,
      Map<String, Object> patchParameters)
      throws IOException, InterruptedException {
    Map<String, Object> patch = new LinkedHashMap<>(patchPatroni);
    if (!patchParameters.isEmpty()) {
      patch.put("postgresql", Map.of("parameters", patchParameters));
    }
    api.patchClusterConfig(patch);
    if (!patchPatroni.isEmpty()) {
      LOG.warn(
          "changed Patroni's cluster-wide configuration: {}. Patroni applies it on its next loop",
          changes(config, patchPatroni));
    }
    if (!patchParameters.isEmpty()) {
      LOG.warn(
          "changed cluster-wide settings in Patroni's configuration: {}. They take effect when each member"
              + " restarts (Patroni shows pending_restart): restart the replicas, then the leader, e.g. with"
              + " POST /restart on each member's REST API or patronictl restart",
          changes(currentParameters, patchParameters));
    }
  }

  /** Logs what the cluster holds otherwise than this member's environment says, and keeps. */
  private void logStanding(
      JsonNode config,
      Map<String, Object> differingPatroni,
      Map<String, Object> patchedPatroni,
      JsonNode currentParameters,
      Map<String, Object> differingParameters,
      Map<String, Object> patchedParameters) {
    differingPatroni.keySet().removeAll(patchedPatroni.keySet());
    differingParameters.keySet().removeAll(patchedParameters.keySet());
    if (differingPatroni.isEmpty() && differingParameters.isEmpty()) {
      return;
    }
    String differences =
        joined(
            standingDifferences(config, differingPatroni),
            standingDifferences(currentParameters, differingParameters));
    if (lastStart.isEmpty()) {
      LOG.warn(
          "member {} has no memory of an earlier start ({} in PGDATA): the cluster-wide configuration stays as"
              + " the cluster has it, {}. To change the cluster, change the variable and restart a member, or use"
              + " patronictl edit-config",
          member,
          FILE_NAME,
          differences);
    } else {
      LOG.info(
          "the cluster-wide configuration stays as the cluster has it, {}: this member's environment has not"
              + " changed these since its last start (the cluster's values come from patronictl edit-config or"
              + " another member)",
          differences);
    }
  }

  private static String standingDifferences(JsonNode current, Map<String, Object> differing) {
    return differing.entrySet().stream()
        .map(
            e ->
                e.getKey()
                    + " "
                    + current.path(e.getKey()).asText("(unset)")
                    + " where the environment says "
                    + e.getValue())
        .collect(Collectors.joining(", "));
  }

  private static String joined(String first, String second) {
    return first.isEmpty() ? second : second.isEmpty() ? first : first + ", " + second;
  }

  /** The settings Patroni itself takes only from the DCS, by their names there. */
  private static Map<String, Object> patroniSettings(PatroniConfig.Dcs dcs) {
    Map<String, Object> settings = new TreeMap<>();
    settings.put("ttl", dcs.ttl());
    settings.put("loop_wait", dcs.loopWait());
    settings.put("retry_timeout", dcs.retryTimeout());
    settings.put("synchronous_mode", dcs.synchronousMode());
    return settings;
  }

  /** The wanted values that differ from (or were missing in) what the last start remembered. */
  private static Map<String, Object> changedSince(
      Map<String, String> remembered, Map<String, Object> wanted) {
    Map<String, Object> changed = new TreeMap<>();
    wanted.forEach(
        (name, value) -> {
          String before = remembered.get(name);
          if (before == null || !normalized(before).equals(normalized(value))) {
            changed.put(name, value);
          }
        });
    return changed;
  }

  /**
   * The wanted values that {@code current} lacks or holds otherwise (compared as text, ignoring
   * case).
   */
  private static Map<String, Object> differing(JsonNode current, Map<String, ?> wanted) {
    Map<String, Object> changed = new TreeMap<>();
    wanted.forEach(
        (name, value) -> {
          JsonNode now = current.get(name);
          if (now == null || !normalized(now.asText()).equals(normalized(value))) {
            changed.put(name, value);
          }
        });
    return changed;
  }

  private static String normalized(Object value) {
    return String.valueOf(value).trim().toLowerCase(Locale.ROOT);
  }

  private static Map<String, String> asText(Map<String, Object> values) {
    Map<String, String> text = new TreeMap<>();
    values.forEach((name, value) -> text.put(name, String.valueOf(value)));
    return text;
  }

  private static String changes(JsonNode current, Map<String, Object> changed) {
    return changed.entrySet().stream()
        .map(
            e ->
                e.getKey()
                    + " "
                    + current.path(e.getKey()).asText("(unset)")
                    + " -> "
                    + e.getValue())
        .collect(Collectors.joining(", "));
  }

  /**
   * The values of {@code member}'s last start; empty when there is no file, when another member
   * wrote it (copied by a base backup or pg_rewind), or when it cannot be read (logged: the start
   * then changes nothing in the DCS).
   */
  private static Optional<AppliedValues> read(Path file, String member) {
    try {
      AppliedValues values = JSON.readValue(Files.readAllBytes(file), AppliedValues.class);
      if (!member.equals(values.member())) {
        LOG.info(
            "{} was written by member {}, not by {} (copied with a base backup or pg_rewind): this member has no"
                + " memory of the cluster-wide values it started with",
            file,
            values.member(),
            member);
        return Optional.empty();
      }
      return Optional.of(values);
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException | RuntimeException e) {
      LOG.warn(
          "cannot read {} ({}): this start changes nothing in Patroni's cluster-wide configuration; the file is"
              + " written anew",
          file,
          e.getMessage());
      return Optional.empty();
    }
  }

  /**
   * Writes the file whole (a crash leaves the old one), readable by its owner only, as the rest of
   * PGDATA.
   */
  private void remember(AppliedValues values) {
    lastStart = Optional.of(values);
    Path temporary = file.resolveSibling(FILE_NAME + ".tmp");
    try {
      Files.write(temporary, JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(values));
      Files.setPosixFilePermissions(temporary, PosixFilePermissions.fromString("rw-------"));
      if (owner.isPresent()) {
        Files.setAttribute(temporary, "unix:uid", owner.get().uid(), LinkOption.NOFOLLOW_LINKS);
        Files.setAttribute(temporary, "unix:gid", owner.get().gid(), LinkOption.NOFOLLOW_LINKS);
      }
      Files.move(
          temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      LOG.warn(
          "cannot write {} ({}): the next start of this member will take the cluster's values as they are",
          file,
          e.getMessage());
    }
  }

  /**
   * The memory's content: the member that wrote it, and the cluster-wide values its environment
   * gave, as text.
   *
   * @param patroni ttl, loop_wait, retry_timeout, synchronous_mode
   * @param parameters the cluster-wide server settings the environment set
   */
  record AppliedValues(String member, Map<String, String> patroni, Map<String, String> parameters) {

    AppliedValues {
      patroni = patroni == null ? Map.of() : Map.copyOf(patroni);
      parameters = parameters == null ? Map.of() : Map.copyOf(parameters);
    }
  }
}
