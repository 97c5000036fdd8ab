package dev.pgcontainer.health;

import dev.pgcontainer.core.Settings.HostPort;
import java.util.Set;

/** Where to connect to reach a server that listens on a given address: a wildcard means "this host", i.e. loopback. */
final class ListenAddress {

  private static final Set<String> IPV4_ANY = Set.of("0.0.0.0", "*", "");

  private ListenAddress() {}

  static HostPort connectable(HostPort listen) {
    if (IPV4_ANY.contains(listen.host())) {
      return new HostPort("127.0.0.1", listen.port());
    }
    if (listen.host().equals("::")) {
      return new HostPort("::1", listen.port());
    }
    return listen;
  }

  /** {@code http://HOST:PORT} with IPv6 hosts in brackets. */
  static String httpBase(HostPort listen) {
    return "http://" + connectable(listen);
  }
}
