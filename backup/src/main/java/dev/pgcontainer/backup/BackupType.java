package dev.pgcontainer.backup;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * pgBackRest's backup types, from the most complete to the least: a backup of a type also covers
 * the weaker ones.
 */
public enum BackupType {
  /** Everything. */
  FULL,
  /** What changed since the last full backup. */
  DIFF,
  /** What changed since the last backup of any type. */
  INCR;

  /** The word pgBackRest and the CLI use: {@code full}, {@code diff}, {@code incr}. */
  public String keyword() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * Whether a backup of type {@code other} makes one of this type unnecessary: a full backup covers
   * a due diff or incr backup, a diff one covers an incr one.
   */
  public boolean isCoveredBy(BackupType other) {
    return other.ordinal() <= ordinal();
  }

  /** The type named by {@code keyword} ({@code full}, {@code diff}, {@code incr}, in any case). */
  public static Optional<BackupType> fromKeyword(String keyword) {
    return Arrays.stream(values())
        .filter(type -> type.keyword().equalsIgnoreCase(keyword.trim()))
        .findFirst();
  }

  /** The accepted keywords, for messages: {@code full, diff, incr}. */
  public static String keywords() {
    return Arrays.stream(values()).map(BackupType::keyword).collect(Collectors.joining(", "));
  }
}
