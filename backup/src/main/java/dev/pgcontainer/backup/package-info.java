/**
 * Owns the pgBackRest feature ({@link dev.pgcontainer.backup.BackupFeature}): its variables and
 * their rules ({@link dev.pgcontainer.backup.BackupRules}, read into {@link
 * dev.pgcontainer.backup.BackupSettings}), the stanza at every start, scheduled and on-demand
 * backups, restore and point-in-time recovery, the backups' health check and gauges, and the {@code
 * backup} and {@code restore} subcommands. Its configuration files ({@code pgbackrest.conf}, the
 * server's archive settings) are rendered by config-render with the rest of the configuration.
 *
 * <p>Entry points: {@link dev.pgcontainer.backup.BackupExtension} (its part in {@code pgcontainer
 * run}, with {@link dev.pgcontainer.backup.BackupStatus} for health), {@link
 * dev.pgcontainer.backup.OnDemandBackup} ({@code pgcontainer backup}), {@link
 * dev.pgcontainer.backup.OfflineRestore} ({@code pgcontainer restore}), {@link
 * dev.pgcontainer.backup.BackupInfo} (the typed {@code pgbackrest info}) and {@link
 * dev.pgcontainer.backup.CronSchedule} (the schedules' validation).
 */
package dev.pgcontainer.backup;
