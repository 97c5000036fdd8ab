package dev.pgcontainer.patroni;

import dev.pgcontainer.core.ConfigurationProblem;
import dev.pgcontainer.core.EnvironmentReader;
import dev.pgcontainer.core.FeatureSettingsRules;
import dev.pgcontainer.core.Secret;
import dev.pgcontainer.core.Settings.HostPort;
import dev.pgcontainer.core.Variable;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The {@code PATRONI_*} variables: their record and the rules between them and the superuser's
 * password.
 */
public final class PatroniRules implements FeatureSettingsRules<PatroniSettings> {

  @Override
  public Class<PatroniSettings> settingsType() {
    return PatroniSettings.class;
  }

  @Override
  public List<PatroniVariable> variables() {
    return List.of(PatroniVariable.values());
  }

  @Override
  public List<String> prefixes() {
    return List.of("PATRONI_");
  }

  /**
   * Patroni reads its own {@code PATRONI_*} variables (e.g. {@code PATRONI_LOG_LEVEL}), so a
   * far-off name under that prefix is left to Patroni; only near-misses of ours are errors.
   */
  @Override
  public List<String> programPrefixes() {
    return List.of("PATRONI_");
  }

  @Override
  public PatroniSettings read(EnvironmentReader reader, ReadSoFar readSoFar) {
    Optional<Secret> superuserPassword = readSoFar.superuser().password();
    String hostName = readSoFar.hostName();
    boolean enabled = reader.bool(PatroniVariable.PATRONI_ENABLE);
    Optional<Secret> replicationPassword =
        reader.secret(PatroniVariable.PATRONI_REPLICATION_PASSWORD);
    WatchdogMode watchdog =
        reader.choice(PatroniVariable.PATRONI_WATCHDOG_MODE, WatchdogMode.class, WatchdogMode.OFF);
    List<HostPort> etcdHosts = new ArrayList<>();
    for (String host : reader.text(PatroniVariable.PATRONI_ETCD_HOSTS).split(",")) {
      if (!host.trim().isEmpty()) {
        etcdHosts.add(reader.hostPort(PatroniVariable.PATRONI_ETCD_HOSTS, host.trim()));
      }
    }
    if (etcdHosts.isEmpty()) {
      reader.problem(
          ConfigurationProblem.missing(
              PatroniVariable.PATRONI_ETCD_HOSTS.name(),
              "needs at least one host:port, e.g. etcd1:2379,etcd2:2379"));
    }
    if (watchdog == WatchdogMode.REQUIRED && !enabled) {
      reader.problem(
          ConfigurationProblem.of(
              PatroniVariable.PATRONI_WATCHDOG_MODE.name(),
              reader.text(PatroniVariable.PATRONI_WATCHDOG_MODE),
              "the watchdog is Patroni's: 'required' needs PATRONI_ENABLE=true"));
    }
    if (enabled) {
      if (superuserPassword.isEmpty() && !reader.reported(Variable.POSTGRES_PASSWORD.name())) {
        reader.problem(
            ConfigurationProblem.missing(
                Variable.POSTGRES_PASSWORD.name(),
                "Patroni connects to other members as the superuser (pg_rewind): set POSTGRES_PASSWORD or"
                    + " POSTGRES_PASSWORD_FILE"));
      }
      if (replicationPassword.isEmpty()
          && !reader.reported(PatroniVariable.PATRONI_REPLICATION_PASSWORD.name())) {
        reader.problem(
            ConfigurationProblem.missing(
                PatroniVariable.PATRONI_REPLICATION_PASSWORD.name(),
                "replicas authenticate with it: set PATRONI_REPLICATION_PASSWORD or PATRONI_REPLICATION_PASSWORD_FILE"));
      }
    }
    OptionalInt givenTtl = reader.validPositiveInt(PatroniVariable.PATRONI_TTL, 3600);
    OptionalInt givenLoopWait = reader.validPositiveInt(PatroniVariable.PATRONI_LOOP_WAIT, 3600);
    OptionalInt givenRetryTimeout =
        reader.validPositiveInt(PatroniVariable.PATRONI_RETRY_TIMEOUT, 3600);
    boolean timingsValid =
        givenTtl.isPresent() && givenLoopWait.isPresent() && givenRetryTimeout.isPresent();
    int ttl = givenTtl.orElse(1);
    int loopWait = givenLoopWait.orElse(1);
    int retryTimeout = givenRetryTimeout.orElse(1);
    if (enabled && timingsValid && loopWait + 2 * retryTimeout > ttl) {
      // Patroni's own rule: otherwise the leader key can expire between two loops and the cluster
      // flaps.
      reader.problem(
          ConfigurationProblem.of(
              PatroniVariable.PATRONI_TTL.name(),
              String.valueOf(ttl),
              "must be at least PATRONI_LOOP_WAIT + 2 * PATRONI_RETRY_TIMEOUT ("
                  + (loopWait + 2 * retryTimeout)
                  + ")"));
    }
    return new PatroniSettings(
        enabled,
        reader.nonBlank(PatroniVariable.PATRONI_SCOPE),
        reader.optional(PatroniVariable.PATRONI_NAME).orElse(hostName),
        reader.nonBlank(PatroniVariable.PATRONI_NAMESPACE),
        etcdHosts,
        reader.hostPort(
            PatroniVariable.PATRONI_RESTAPI_LISTEN,
            reader.text(PatroniVariable.PATRONI_RESTAPI_LISTEN)),
        reader.optional(PatroniVariable.PATRONI_CONNECT_ADDRESS).orElse(hostName),
        reader.roleName(
            PatroniVariable.PATRONI_REPLICATION_USER,
            reader.text(PatroniVariable.PATRONI_REPLICATION_USER)),
        replicationPassword,
        ttl,
        loopWait,
        retryTimeout,
        reader.bool(PatroniVariable.PATRONI_SYNCHRONOUS_MODE),
        watchdog,
        Path.of(reader.text(PatroniVariable.PATRONI_WATCHDOG_DEVICE)),
        reader.nonNegativeInt(PatroniVariable.PATRONI_WATCHDOG_SAFETY_MARGIN));
  }
}
