package dev.pgcontainer.health;

/**
 * {@code backup} where the launcher's memory is out of reach: probing directly (a healthcheck that could not ask the
 * endpoint) or an endpoint started without the backups' own probe. UP "not enabled" when BACKUP_ENABLED is false, as
 * {@code patroni} says; otherwise UP with a reason that says where the state is: only the running launcher knows the
 * stanza check and its backups, and running pgBackRest here would not fit a healthcheck's second.
 */
final class BackupStandInProbe implements Probe {

  private final boolean enabled;

  BackupStandInProbe(boolean enabled) {
    this.enabled = enabled;
  }

  @Override
  public String name() {
    return HealthChecks.BACKUP;
  }

  @Override
  public ProbeResult check() {
    return enabled
        ? ProbeResult.up("enabled; only the running launcher knows the stanza and backups: GET /health/backup on its"
            + " endpoint")
        : ProbeResult.up("not enabled");
  }
}
