package dev.pgcontainer.health;

import dev.pgcontainer.core.Settings.HostPort;

/** Where to connect to reach a server that listens on a given address: a wildcard means "this host", i.e. loopback. */
final class ListenAddress {

  private ListenAddress() {}

  static HostPort connectable(HostPort listen) {
    if (listen.host().equals("0.0.0.0")) {
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
