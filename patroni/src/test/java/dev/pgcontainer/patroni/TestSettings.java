package dev.pgcontainer.patroni;

import dev.pgcontainer.backup.BackupRules;
import dev.pgcontainer.backup.CronSchedule;
import dev.pgcontainer.core.Settings;
import java.util.List;
import java.util.Map;

/** Settings read as the launcher reads them for Patroni: with Patroni's and the backups' rules. */
final class TestSettings {

  private TestSettings() {}

  static Settings of(Map<String, String> env) {
    return Settings.fromEnvironment(
        env, List.of(new PatroniRules(), new BackupRules(CronSchedule::problem)));
  }
}
