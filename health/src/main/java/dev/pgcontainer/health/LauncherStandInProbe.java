package dev.pgcontainer.health;

/**
 * A check of what only the running launcher knows (e.g. a feature's state in memory), where the
 * launcher's memory is out of reach: probing directly (a healthcheck that could not ask the
 * endpoint) or an endpoint started without the launcher's own probe. UP "not enabled" when the
 * feature is off; otherwise UP with a reason that says where the state is, as finding it out here
 * would not fit a healthcheck's second.
 */
public final class LauncherStandInProbe implements Probe {

  private final String name;
  private final boolean enabled;
  private final String known;

  /**
   * @param known what the launcher knows, e.g. {@code the stanza and backups}
   */
  public LauncherStandInProbe(String name, boolean enabled, String known) {
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
        ? ProbeResult.up(
            "enabled; only the running launcher knows "
                + known
                + ": GET /health/"
                + name
                + " on its"
                + " endpoint")
        : ProbeResult.up("not enabled");
  }
}
