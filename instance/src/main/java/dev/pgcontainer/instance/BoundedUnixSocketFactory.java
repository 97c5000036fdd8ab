package dev.pgcontainer.instance;

import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import javax.net.SocketFactory;
import org.newsclub.net.unix.AFUNIXSocketFactory;

/**
 * pgjdbc's sockets to the server's Unix socket (junixsocket's), whose reads end by a set moment:
 * pgjdbc's own timeouts are whole seconds, and a login that a stuck server never answers then keeps
 * a thread blocked in a native read, which also holds up the JVM's exit by up to 300 ms (HotSpot
 * waits that long for threads in native code), too much for a healthcheck bound to 1 s. The read
 * timeout is what is left until that moment when the socket is made: loading pgjdbc before it can
 * take a few hundred milliseconds of a fresh JVM. pgjdbc makes it from its {@code
 * socketFactoryArg}, {@code END_NANOS:PATH} with END_NANOS a {@link System#nanoTime()} of this JVM.
 */
public final class BoundedUnixSocketFactory extends SocketFactory {

  private final SocketFactory unix;
  private final long endNanos;

  public BoundedUnixSocketFactory(String endNanosAndPath) {
    int colon = endNanosAndPath.indexOf(':');
    this.endNanos = Long.parseLong(endNanosAndPath.substring(0, colon));
    this.unix = new AFUNIXSocketFactory.FactoryArg(endNanosAndPath.substring(colon + 1));
  }

  /**
   * The {@code socketFactoryArg} for reads that end {@code timeout} from now on the socket at
   * {@code path}.
   */
  static String argument(Duration timeout, String path) {
    return (System.nanoTime() + timeout.toNanos()) + ":" + path;
  }

  @Override
  public Socket createSocket() throws IOException {
    return bounded(unix.createSocket());
  }

  @Override
  public Socket createSocket(String host, int port) throws IOException {
    return bounded(unix.createSocket(host, port));
  }

  @Override
  public Socket createSocket(String host, int port, InetAddress localHost, int localPort)
      throws IOException {
    return bounded(unix.createSocket(host, port, localHost, localPort));
  }

  @Override
  public Socket createSocket(InetAddress host, int port) throws IOException {
    return bounded(unix.createSocket(host, port));
  }

  @Override
  public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort)
      throws IOException {
    return bounded(unix.createSocket(address, port, localAddress, localPort));
  }

  private Socket bounded(Socket socket) throws IOException {
    socket.setSoTimeout(
        (int) Math.max(1, TimeUnit.NANOSECONDS.toMillis(endNanos - System.nanoTime())));
    return socket;
  }
}
