package dev.pgcontainer.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * TCP ports nothing listens on, each handed out once per test JVM, from below the kernel's
 * ephemeral range (32768-60999 on Linux): a port from that range, as binding port 0 gives, can be
 * taken by any outgoing connection (Patroni, etcd and the tests' clients make many) before the
 * server it was meant for binds it.
 */
public final class FreePorts {

  private static final int FIRST_PORT = 20000;
  private static final int PORT_RANGE = 12000;

  /** Starts anywhere in the range, so that test JVMs running side by side rarely meet. */
  private static final AtomicInteger nextPort =
      new AtomicInteger(ThreadLocalRandom.current().nextInt(PORT_RANGE));

  private FreePorts() {}

  /** A port nothing listens on right now, on any address. */
  public static int next() {
    for (int tries = 0; tries < PORT_RANGE; tries++) {
      int port = FIRST_PORT + Math.floorMod(nextPort.getAndIncrement(), PORT_RANGE);
      try (ServerSocket socket = new ServerSocket()) {
        socket.setReuseAddress(false);
        socket.bind(new InetSocketAddress(port));
        return port;
      } catch (IOException taken) {
        // someone else's: the next one
      }
    }
    throw new UncheckedIOException(
        new IOException("no free port in " + FIRST_PORT + "-" + (FIRST_PORT + PORT_RANGE - 1)));
  }
}
