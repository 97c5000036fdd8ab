package dev.pgcontainer.core;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Map;

/**
 * The host name used for member and node defaults: {@code HOSTNAME} as containers set it, else the
 * system's.
 */
final class HostName {

  private HostName() {}

  static String fromEnvironment(Map<String, String> env) {
    String fromEnv = env.get("HOSTNAME");
    if (fromEnv != null && !fromEnv.isBlank()) {
      return fromEnv.trim();
    }
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      return "localhost";
    }
  }
}
