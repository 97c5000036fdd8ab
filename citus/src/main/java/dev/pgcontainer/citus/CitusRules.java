package dev.pgcontainer.citus;

import dev.pgcontainer.core.ConfigurationProblem;
import dev.pgcontainer.core.EnvironmentReader;
import dev.pgcontainer.core.FeatureSettingsRules;
import dev.pgcontainer.core.Settings;
import dev.pgcontainer.core.Variable;
import dev.pgcontainer.patroni.PatroniSettings;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.regex.Pattern;

/**
 * The {@code CITUS_*} variables: their record and the rules between a node's role, Patroni and
 * external access.
 */
public final class CitusRules implements FeatureSettingsRules<CitusSettings> {

  /**
   * A DNS name (labels of letters, digits, hyphens and, as container runtimes allow, underscores)
   * or IPv4 address.
   */
  private static final Pattern NODE_HOST_NAME =
      Pattern.compile(
          "^[A-Za-z0-9_]([A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?(\\.[A-Za-z0-9_]([A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?)*$");

  /** CITUS_NODE_HOST of a node the others reach on this host only. */
  private static final Pattern LOOPBACK =
      Pattern.compile("^(localhost|127(\\.\\d{1,3}){3}|::1)$", Pattern.CASE_INSENSITIVE);

  /**
   * An IPv6 address without brackets, as citus_add_node takes it: at least two colons, so never
   * host:port.
   */
  private static final Pattern NODE_HOST_IPV6 =
      Pattern.compile("^(?=(?:[^:]*:){2})[0-9A-Fa-f:.]+$");

  private static final int MAX_HOST_NAME_LENGTH = 253;

  @Override
  public Class<CitusSettings> settingsType() {
    return CitusSettings.class;
  }

  @Override
  public List<CitusVariable> variables() {
    return List.of(CitusVariable.values());
  }

  @Override
  public List<String> prefixes() {
    return List.of("CITUS_");
  }

  /** Patroni's record comes first in the features' order: Citus follows it under Patroni. */
  @Override
  public CitusSettings read(EnvironmentReader reader, ReadSoFar readSoFar) {
    Optional<PatroniSettings> patroni = readSoFar.feature(PatroniSettings.class);
    return new Reading(reader, readSoFar.hostName())
        .read(
            readSoFar.superuser().database(),
            patroni.isPresent() && patroni.get().enabled(),
            readSoFar.externalAccess());
  }

  /** One reading, with the reader its problems go to. */
  private static final class Reading {

    private final EnvironmentReader reader;
    private final String hostName;

    Reading(EnvironmentReader reader, String hostName) {
      this.reader = reader;
      this.hostName = hostName;
    }

    CitusSettings read(String database, boolean patroniEnabled, Settings.ExternalAccess access) {
      boolean enabled = reader.bool(CitusVariable.CITUS_ENABLE);
      CitusRole role =
          reader.choice(CitusVariable.CITUS_ROLE, CitusRole.class, CitusRole.STANDALONE);
      boolean underPatroni = enabled && patroniEnabled;
      if (enabled && role == CitusRole.WORKER) {
        workerCoordinator(underPatroni);
      }
      if (underPatroni && reader.bool(CitusVariable.CITUS_AUTO_REGISTER_WORKERS)) {
        reader.warn(
            "CITUS_AUTO_REGISTER_WORKERS=true is ignored with PATRONI_ENABLE=true: the coordinator's Patroni"
                + " registers the leader of each worker group (at its PATRONI_CONNECT_ADDRESS)");
      }
      Optional<String> givenNodeHost = reader.optional(CitusVariable.CITUS_NODE_HOST);
      String nodeHost = givenNodeHost.isPresent() ? nodeHost(givenNodeHost.get()) : hostName;
      if (enabled && !patroniEnabled && role != CitusRole.STANDALONE && !access.enabled()) {
        checkReachableByOtherNodes(role, nodeHost);
      }
      Optional<String> givenDatabase = reader.optional(CitusVariable.CITUS_DATABASE);
      return new CitusSettings(
          enabled,
          role,
          reader.nonBlank(CitusVariable.CITUS_COORDINATOR_HOST),
          reader.port(CitusVariable.CITUS_COORDINATOR_PORT),
          reader.bool(CitusVariable.CITUS_AUTO_REGISTER_WORKERS),
          nodeHost,
          givenDatabase.isPresent()
              ? reader.identifier(CitusVariable.CITUS_DATABASE, givenDatabase.get())
              : database,
          citusGroup(role, underPatroni));
    }

    /**
     * Without Patroni a worker needs CITUS_COORDINATOR_HOST to register and to answer {@code citus
     * status}; under Patroni its Patroni finds the coordinator in etcd (the group-0 leader of the
     * same scope): the variable is unused.
     */
    private void workerCoordinator(boolean underPatroni) {
      boolean given = reader.optional(CitusVariable.CITUS_COORDINATOR_HOST).isPresent();
      if (!underPatroni && !given) {
        reader.problem(
            ConfigurationProblem.missing(
                CitusVariable.CITUS_COORDINATOR_HOST.name(),
                "a worker must know its coordinator: set CITUS_COORDINATOR_HOST to the coordinator's host name"));
      } else if (underPatroni && given) {
        reader.warn(
            "CITUS_COORDINATOR_HOST is ignored with PATRONI_ENABLE=true: Patroni finds the coordinator (group 0"
                + " of PATRONI_SCOPE) in etcd");
      }
    }

    /**
     * CITUS_GROUP: 0 for a coordinator (and a standalone node) unless given; under Patroni, where
     * it is the Patroni Citus group, a worker must give its own (1 or more) and a coordinator's
     * must be 0.
     */
    private OptionalInt citusGroup(CitusRole role, boolean underPatroni) {
      Optional<String> given = reader.optional(CitusVariable.CITUS_GROUP);
      if (given.isEmpty()) {
        if (role != CitusRole.WORKER) {
          return OptionalInt.of(0);
        }
        if (underPatroni) {
          reader.problem(
              ConfigurationProblem.missing(
                  CitusVariable.CITUS_GROUP.name(),
                  "a worker under Patroni needs its group number (1, 2, ...)"));
        }
        return OptionalInt.empty();
      }
      OptionalInt validGroup = reader.validNonNegativeInt(CitusVariable.CITUS_GROUP);
      int group = validGroup.orElse(0);
      if (underPatroni && validGroup.isPresent()) {
        if (role == CitusRole.WORKER && group == 0) {
          reader.problem(
              ConfigurationProblem.of(
                  CitusVariable.CITUS_GROUP.name(),
                  given.get(),
                  "a worker's group is 1 or more (group 0 is the coordinator's): give each worker group its own number"));
        } else if (role != CitusRole.WORKER && group != 0) {
          reader.problem(
              ConfigurationProblem.of(
                  CitusVariable.CITUS_GROUP.name(),
                  given.get(),
                  "a "
                      + role.name().toLowerCase(Locale.ROOT)
                      + " is group 0: set CITUS_GROUP=0 or leave it unset, or"
                      + " CITUS_ROLE=worker for a worker group"));
        }
      }
      return OptionalInt.of(group);
    }

    /**
     * CITUS_NODE_HOST goes to citus_add_node as the node's name: a host name or an IP address, the
     * port apart.
     */
    private String nodeHost(String value) {
      boolean valid =
          value.length() <= MAX_HOST_NAME_LENGTH
              && (NODE_HOST_NAME.matcher(value).matches()
                  || NODE_HOST_IPV6.matcher(value).matches());
      if (!valid) {
        reader.problem(
            ConfigurationProblem.of(
                CitusVariable.CITUS_NODE_HOST.name(),
                value,
                "must be a host name or an IP address without a port or brackets, e.g. worker-1, worker-1.db.svc,"
                    + " 10.0.0.5 or fd00::5 (the port is the server's own, POSTGRESQL_PORT)"));
      }
      return value;
    }

    /**
     * With EXTERNAL_ACCESS_ENABLE=false the server listens on localhost only and pg_hba admits no
     * remote host, so the other nodes could not reach a coordinator or worker: a problem unless
     * every node runs on this host, as its loopback CITUS_NODE_HOST says.
     */
    private void checkReachableByOtherNodes(CitusRole role, String nodeHost) {
      if (LOOPBACK.matcher(nodeHost).matches()) {
        return;
      }
      reader.problem(
          ConfigurationProblem.of(
              Variable.EXTERNAL_ACCESS_ENABLE.name(),
              reader.text(Variable.EXTERNAL_ACCESS_ENABLE),
              "a Citus "
                  + role.name().toLowerCase(Locale.ROOT)
                  + " is reached by the other nodes over TCP at"
                  + " CITUS_NODE_HOST="
                  + nodeHost
                  + ", but without external access the server listens on localhost"
                  + " only and admits no remote host: set EXTERNAL_ACCESS_ENABLE=true (logins still need the password),"
                  + " or CITUS_NODE_HOST=127.0.0.1 when every node runs on this host"));
    }
  }
}
