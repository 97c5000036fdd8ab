package dev.pgcontainer.patroni;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How Patroni 3.0 treats server settings (its {@code CMDLINE_OPTIONS}). The cluster-wide ones must
 * be equal on every member, so they live only in the DCS and reach postgres on its command line:
 * Patroni silently drops them from a member's own {@code postgresql.parameters}, and silently drops
 * a DCS value its validator rejects. A few it sets itself. The launcher sorts the {@code
 * POSTGRESQL_*} settings accordingly and rejects, with a reason, every value Patroni would drop.
 */
final class PatroniParameters {

  /**
   * Cluster-wide settings whose value Patroni checks against a lower bound (its validators,
   * verbatim).
   */
  private static final Map<String, Integer> MINIMUMS =
      Map.of(
          "max_connections", 25,
          "max_wal_senders", 3,
          "max_prepared_transactions", 0,
          "max_locks_per_transaction", 32,
          "max_replication_slots", 4,
          "max_worker_processes", 2,
          "wal_keep_segments", 1);

  private static final Set<String> WAL_LEVELS = Set.of("hot_standby", "replica", "logical");
  private static final int MIN_WAL_KEEP_SIZE_MB = 16;
  private static final Pattern SIZE = Pattern.compile("(\\d{1,12})\\s*(kB|MB|GB|TB)?");

  /** Patroni runs every member with these on and takes no value for them. */
  private static final Set<String> ALWAYS_ON = Set.of("hot_standby", "wal_log_hints");

  private static final Set<String> TRUE_WORDS = Set.of("on", "true", "yes", "1");

  private PatroniParameters() {}

  /**
   * Whether the setting lives in the DCS (bootstrap.dcs, later PATCH /config) rather than in a
   * member's file.
   */
  static boolean isClusterWide(String name) {
    return MINIMUMS.containsKey(name)
        || name.equals("wal_level")
        || name.equals("wal_keep_size")
        || name.equals("track_commit_timestamp");
  }

  /**
   * Whether Patroni sets the setting itself: a value equal to Patroni's is accepted (and needs no
   * place in any file), another value is a {@link #problem}.
   */
  static boolean isSetByPatroni(String name) {
    return ALWAYS_ON.contains(name) || name.equals("cluster_name");
  }

  /**
   * What is wrong with the value in Patroni's eyes, as a message that says what to do; empty when
   * nothing.
   */
  static Optional<String> problem(String name, String value) {
    String trimmed = value.trim();
    if (name.equals("cluster_name")) {
      return Optional.of("Patroni names the cluster after its scope: set PATRONI_SCOPE instead");
    }
    if (ALWAYS_ON.contains(name)) {
      return TRUE_WORDS.contains(trimmed.toLowerCase(Locale.ROOT))
          ? Optional.empty()
          : Optional.of(
              "Patroni always runs with "
                  + name
                  + "=on (replicas and pg_rewind need it): remove the variable");
    }
    Integer minimum = MINIMUMS.get(name);
    if (minimum != null) {
      return atLeast(name, trimmed, minimum, "");
    }
    if (name.equals("wal_level") && !WAL_LEVELS.contains(trimmed.toLowerCase(Locale.ROOT))) {
      return Optional.of(
          "Patroni needs replica or logical (it would ignore this value): use one of those");
    }
    if (name.equals("wal_keep_size")) {
      Matcher size = SIZE.matcher(trimmed);
      if (!size.matches()) {
        return Optional.of(
            "Patroni reads it as a whole number with an optional kB, MB, GB or TB unit, e.g. 1GB");
      }
      return atLeast(name, String.valueOf(megabytes(size)), MIN_WAL_KEEP_SIZE_MB, "MB");
    }
    return Optional.empty();
  }

  private static Optional<String> atLeast(String name, String value, int minimum, String unit) {
    long number;
    try {
      number = Long.parseLong(value);
    } catch (NumberFormatException e) {
      return Optional.of(
          "Patroni reads "
              + name
              + " as a whole number (it would ignore this value): write digits only");
    }
    return number >= minimum
        ? Optional.empty()
        : Optional.of(
            "Patroni requires at least "
                + minimum
                + unit
                + " and would ignore a smaller value: raise it");
  }

  private static long megabytes(Matcher size) {
    long number = Long.parseLong(size.group(1));
    String unit = size.group(2) == null ? "MB" : size.group(2);
    return switch (unit) {
      case "kB" -> number / 1024;
      case "GB" -> number * 1024;
      case "TB" -> number * 1024 * 1024;
      default -> number;
    };
  }
}
