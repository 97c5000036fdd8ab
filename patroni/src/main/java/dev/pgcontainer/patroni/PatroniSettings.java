package dev.pgcontainer.patroni;

import dev.pgcontainer.core.Secret;
import dev.pgcontainer.core.Settings;
import dev.pgcontainer.core.Settings.HostPort;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Patroni's settings: the {@code PATRONI_*} variables, read by {@link PatroniRules}. */
public record PatroniSettings(
    boolean enabled,
    String scope,
    String name,
    String namespace,
    List<HostPort> etcdHosts,
    HostPort restApiListen,
    String connectAddress,
    String replicationUser,
    Optional<Secret> replicationPassword,
    int ttlSeconds,
    int loopWaitSeconds,
    int retryTimeoutSeconds,
    boolean synchronousMode,
    WatchdogMode watchdogMode,
    Path watchdogDevice,
    int watchdogSafetyMarginSeconds) {

  public PatroniSettings {
    etcdHosts = List.copyOf(etcdHosts);
  }

  /**
   * Patroni's settings in {@code settings}; with its rule set not read, Patroni is off (and the
   * rest are the variables' defaults, named after the host).
   */
  public static PatroniSettings of(Settings settings) {
    Optional<PatroniSettings> read = settings.feature(PatroniSettings.class);
    return read.isPresent() ? read.get() : disabled();
  }

  private static PatroniSettings disabled() {
    String hostName = Settings.hostName(Map.of());
    return new PatroniSettings(
        false,
        PatroniVariable.PATRONI_SCOPE.defaultValue().orElseThrow(),
        hostName,
        PatroniVariable.PATRONI_NAMESPACE.defaultValue().orElseThrow(),
        List.of(new HostPort("localhost", 2379)),
        new HostPort("0.0.0.0", 8008),
        hostName,
        PatroniVariable.PATRONI_REPLICATION_USER.defaultValue().orElseThrow(),
        Optional.empty(),
        30,
        10,
        10,
        false,
        WatchdogMode.OFF,
        Path.of(PatroniVariable.PATRONI_WATCHDOG_DEVICE.defaultValue().orElseThrow()),
        5);
  }
}
