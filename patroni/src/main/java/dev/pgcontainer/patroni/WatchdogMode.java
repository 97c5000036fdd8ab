package dev.pgcontainer.patroni;

/** {@code PATRONI_WATCHDOG_MODE}: whether Patroni uses the watchdog device. */
public enum WatchdogMode {
  OFF,
  AUTOMATIC,
  REQUIRED
}
