package dev.pgcontainer.health;

/**
 * A check of what only the running launcher knows ({@code backup}: the stanza and backups; {@code citus}: the
 * worker's registration), where the launcher's memory is out of reach: probing directly (a healthcheck that could not
 * ask the endpoint) or an endpoint started without the launcher's own probe. UP "not enabled" when the feature is off,
 * as {@code patroni} says; otherwise UP with a reason that says where the state is, as running pgBackRest or asking a
 * coordinator here would not fit a healthcheck's second.
 */
final class LauncherStandInProbe implements Probe {

  private final String name;
  private final boolean enabled;
  private final String known;

  /** @param known what the launcher knows, e.g. {@code the stanza and backups} */
  LauncherStandInProbe(String name, boolean enabled, String known) {
    this.name = name;
    this.enabled = enabled;
    this.known = known;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public ProbeResult check() {
    return enabled
        ? ProbeResult.up("enabled; only the running launcher knows " + known + ": GET /health/" + name + " on its"
            + " endpoint")
        : ProbeResult.up("not enabled");
  }
}
