package dev.pgcontainer.citus;

import dev.pgcontainer.core.Settings;
import dev.pgcontainer.patroni.PatroniConfigSection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Citus' settings: the {@code CITUS_*} variables, read by {@link CitusRules}. Under Patroni, they
 * give Patroni's own Citus section of {@code patroni.yml}: Patroni preloads citus, creates the
 * database and the extension and registers each worker group's leader, so the launcher registers
 * nothing itself.
 *
 * @param group {@code CITUS_GROUP}: 0 for the coordinator's group unless given
 * @param database {@code CITUS_DATABASE}, else the superuser's database
 */
public record CitusSettings(
    boolean enabled,
    CitusRole role,
    String coordinatorHost,
    int coordinatorPort,
    boolean autoRegisterWorkers,
    String nodeHost,
    String database,
    OptionalInt group)
    implements PatroniConfigSection {

  /**
   * Citus' settings in {@code settings}; with its rule set not read, Citus is off (and the rest are
   * the variables' defaults, the node named after the host).
   */
  public static CitusSettings of(Settings settings) {
    Optional<CitusSettings> read = settings.feature(CitusSettings.class);
    return read.isPresent()
        ? read.get()
        : new CitusSettings(
            false,
            CitusRole.STANDALONE,
            CitusVariable.CITUS_COORDINATOR_HOST.defaultValue().orElseThrow(),
            Integer.parseInt(CitusVariable.CITUS_COORDINATOR_PORT.defaultValue().orElseThrow()),
            false,
            Settings.hostName(Map.of()),
            settings.superuser().database(),
            OptionalInt.of(0));
  }

  @Override
  public String patroniKey() {
    return "citus";
  }

  @Override
  public Optional<Object> patroniSection() {
    if (!enabled) {
      return Optional.empty();
    }
    Map<String, Object> section = new LinkedHashMap<>();
    section.put("group", group.getAsInt());
    section.put("database", database);
    return Optional.of(section);
  }
}
