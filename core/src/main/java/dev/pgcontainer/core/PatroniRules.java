package dev.pgcontainer.core;

import dev.pgcontainer.core.Settings.HostPort;
import dev.pgcontainer.core.Settings.WatchdogMode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The {@code PATRONI_*} variables: their record and the rules between them and the superuser's
 * password.
 */
final class PatroniRules {

  private final EnvironmentReader reader;
  private final String hostName;

  PatroniRules(EnvironmentReader reader, String hostName) {
    this.reader = reader;
    this.hostName = hostName;
  }

  Settings.Patroni read(Optional<Secret> superuserPassword) {
    boolean enabled = reader.bool(Variable.PATRONI_ENABLE);
    Optional<Secret> replicationPassword = reader.secret(Variable.PATRONI_REPLICATION_PASSWORD);
    WatchdogMode watchdog =
        reader.choice(Variable.PATRONI_WATCHDOG_MODE, WatchdogMode.class, WatchdogMode.OFF);
    List<HostPort> etcdHosts = new ArrayList<>();
    for (String host : reader.text(Variable.PATRONI_ETCD_HOSTS).split(",")) {
      if (!host.trim().isEmpty()) {
        etcdHosts.add(reader.hostPort(Variable.PATRONI_ETCD_HOSTS, host.trim()));
      }
    }
    if (etcdHosts.isEmpty()) {
      reader.problem(
          ConfigurationProblem.missing(
              Variable.PATRONI_ETCD_HOSTS.name(),
              "needs at least one host:port, e.g. etcd1:2379,etcd2:2379"));
    }
    if (watchdog == WatchdogMode.REQUIRED && !enabled) {
      reader.problem(
          ConfigurationProblem.of(
              Variable.PATRONI_WATCHDOG_MODE.name(),
              reader.text(Variable.PATRONI_WATCHDOG_MODE),
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
          && !reader.reported(Variable.PATRONI_REPLICATION_PASSWORD.name())) {
        reader.problem(
            ConfigurationProblem.missing(
                Variable.PATRONI_REPLICATION_PASSWORD.name(),
                "replicas authenticate with it: set PATRONI_REPLICATION_PASSWORD or PATRONI_REPLICATION_PASSWORD_FILE"));
      }
    }
    OptionalInt givenTtl = reader.validPositiveInt(Variable.PATRONI_TTL, 3600);
    OptionalInt givenLoopWait = reader.validPositiveInt(Variable.PATRONI_LOOP_WAIT, 3600);
    OptionalInt givenRetryTimeout = reader.validPositiveInt(Variable.PATRONI_RETRY_TIMEOUT, 3600);
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
              Variable.PATRONI_TTL.name(),
              String.valueOf(ttl),
              "must be at least PATRONI_LOOP_WAIT + 2 * PATRONI_RETRY_TIMEOUT ("
                  + (loopWait + 2 * retryTimeout)
                  + ")"));
    }
    return new Settings.Patroni(
        enabled,
        reader.nonBlank(Variable.PATRONI_SCOPE),
        reader.optional(Variable.PATRONI_NAME).orElse(hostName),
        reader.nonBlank(Variable.PATRONI_NAMESPACE),
        etcdHosts,
        reader.hostPort(
            Variable.PATRONI_RESTAPI_LISTEN, reader.text(Variable.PATRONI_RESTAPI_LISTEN)),
        reader.optional(Variable.PATRONI_CONNECT_ADDRESS).orElse(hostName),
        reader.roleName(
            Variable.PATRONI_REPLICATION_USER, reader.text(Variable.PATRONI_REPLICATION_USER)),
        replicationPassword,
        ttl,
        loopWait,
        retryTimeout,
        reader.bool(Variable.PATRONI_SYNCHRONOUS_MODE),
        watchdog,
        Path.of(reader.text(Variable.PATRONI_WATCHDOG_DEVICE)),
        reader.nonNegativeInt(Variable.PATRONI_WATCHDOG_SAFETY_MARGIN));
  }
}
