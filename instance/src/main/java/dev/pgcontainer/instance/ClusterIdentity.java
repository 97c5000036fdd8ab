package dev.pgcontainer.instance;

import dev.pgcontainer.core.PgcontainerException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.CRC32C;

/**
 * What initdb makes unique to each cluster, given anew to a copy of a cluster template: the system
 * identifier (in {@code global/pg_control} and in the long header of each WAL segment's first page,
 * which recovery checks against each other) and the mock authentication nonce (pg_control; the salt
 * SCRAM shows for roles that do not exist). Two copies then differ as two initdb runs do:
 * pgBackRest stanzas and Patroni tell clusters apart by the identifier.
 *
 * <p>pg_control is the C struct ControlFileData in the server's byte order (little-endian here):
 * the identifier is its first 8 bytes, the 32-byte nonce comes right before the CRC-32C that ends
 * it, and the CRC covers everything before itself. The CRC's offset differs between major versions,
 * so it is found rather than assumed: the one 4-aligned offset where the stored value is the CRC of
 * the bytes before it.
 */
final class ClusterIdentity {

  static final int NONCE_LENGTH = 32;

  private static final Path CONTROL_FILE = Path.of("global", "pg_control");
  private static final int SYSTEM_IDENTIFIER_OFFSET = 0;

  /**
   * The smallest ControlFileData of any supported version is far larger: the nonce and the fields
   * before it.
   */
  private static final int MIN_CRC_OFFSET = 8 + NONCE_LENGTH;

  private static final int MAX_CRC_OFFSET = 1024;

  /**
   * XLogLongPageHeaderData: xlp_info at 2, xlp_sysid at 24 (after the 20-byte short header,
   * 8-aligned).
   */
  private static final int XLP_INFO_OFFSET = 2;

  private static final int XLP_SYSID_OFFSET = 24;
  private static final int XLP_LONG_HEADER = 0x0002;
  private static final int WAL_SEGMENT_NAME_LENGTH = 24;

  private ClusterIdentity() {}

  /** As initdb makes it: seconds and microseconds of now, and the low 12 bits of the pid. */
  static long newSystemIdentifier() {
    Instant now = Instant.now();
    long micros = now.getNano() / 1_000L;
    return (now.getEpochSecond() << 32) | (micros << 12) | (ProcessHandle.current().pid() & 0xFFF);
  }

  /** A new mock authentication nonce. */
  static byte[] newNonce() {
    return randomBytes(NONCE_LENGTH);
  }

  /**
   * {@code length} bytes from the kernel's random source, as initdb's pg_strong_random reads them
   * (no SecureRandom to seed on the way).
   */
  private static byte[] randomBytes(int length) {
    byte[] bytes = new byte[length];
    try (InputStream random = Files.newInputStream(Path.of("/dev/urandom"))) {
      if (random.readNBytes(bytes, 0, length) != length) {
        throw new IOException("short read");
      }
    } catch (IOException e) {
      throw new PgcontainerException("could not read /dev/urandom: " + e.getMessage(), e);
    }
    return bytes;
  }

  /** The system identifier recorded in {@code cluster}'s pg_control. */
  static long systemIdentifier(Path cluster) {
    return controlFile(cluster).getLong(SYSTEM_IDENTIFIER_OFFSET);
  }

  /**
   * Gives the cluster in {@code cluster} (shut down cleanly, never started elsewhere) {@code
   * systemIdentifier} and {@code nonce}, in pg_control and in every WAL segment that carries the
   * old identifier.
   */
  static void renew(Path cluster, long systemIdentifier, byte[] nonce) {
    if (nonce.length != NONCE_LENGTH) {
      throw new IllegalArgumentException(
          "a nonce has " + NONCE_LENGTH + " bytes, not " + nonce.length);
    }
    Path controlPath = cluster.resolve(CONTROL_FILE);
    ByteBuffer control = controlFile(cluster);
    long previous = control.getLong(SYSTEM_IDENTIFIER_OFFSET);
    int crcOffset = crcOffset(control, controlPath);
    control.putLong(SYSTEM_IDENTIFIER_OFFSET, systemIdentifier);
    control.put(crcOffset - NONCE_LENGTH, nonce);
    control.putInt(crcOffset, crc32c(control, crcOffset));
    renewWalSegments(cluster.resolve("pg_wal"), previous, systemIdentifier);
    write(controlPath, control, 0);
  }

  private static ByteBuffer controlFile(Path cluster) {
    Path path = cluster.resolve(CONTROL_FILE);
    try {
      return ByteBuffer.wrap(Files.readAllBytes(path)).order(ByteOrder.LITTLE_ENDIAN);
    } catch (IOException e) {
      throw new PgcontainerException("cannot read " + path + ": " + e.getMessage(), e);
    }
  }

  private static int crcOffset(ByteBuffer control, Path path) {
    int limit = Math.min(MAX_CRC_OFFSET, control.capacity() - Integer.BYTES);
    for (int offset = MIN_CRC_OFFSET; offset <= limit; offset += Integer.BYTES) {
      if (control.getInt(offset) == crc32c(control, offset)) {
        return offset;
      }
    }
    throw new PgcontainerException(
        path
            + " has no CRC-32C where a little-endian pg_control keeps it: not a control"
            + " file this launcher can renew (a big-endian server, or damage)");
  }

  private static int crc32c(ByteBuffer buffer, int length) {
    CRC32C crc = new CRC32C();
    crc.update(buffer.array(), 0, length);
    return (int) crc.getValue();
  }

  private static void renewWalSegments(Path walDirectory, long previous, long systemIdentifier) {
    List<Path> segments;
    try (Stream<Path> entries = Files.list(walDirectory)) {
      segments = entries.filter(ClusterIdentity::isWalSegment).sorted().toList();
    } catch (IOException e) {
      throw new PgcontainerException("cannot list " + walDirectory + ": " + e.getMessage(), e);
    }
    for (Path segment : segments) {
      ByteBuffer header =
          ByteBuffer.allocate(XLP_SYSID_OFFSET + Long.BYTES).order(ByteOrder.LITTLE_ENDIAN);
      try (FileChannel channel = FileChannel.open(segment, StandardOpenOption.READ)) {
        channel.read(header, 0);
      } catch (IOException e) {
        throw new PgcontainerException("cannot read " + segment + ": " + e.getMessage(), e);
      }
      boolean longHeader = (header.getShort(XLP_INFO_OFFSET) & XLP_LONG_HEADER) != 0;
      if (!longHeader || header.getLong(XLP_SYSID_OFFSET) != previous) {
        throw new PgcontainerException(
            segment
                + " does not start with a long page header of system identifier "
                + previous
                + ": the template's WAL does not belong to its pg_control");
      }
      header.clear();
      header.putLong(0, systemIdentifier);
      write(segment, header.limit(Long.BYTES), XLP_SYSID_OFFSET);
    }
  }

  private static boolean isWalSegment(Path path) {
    String name = path.getFileName().toString();
    return name.length() == WAL_SEGMENT_NAME_LENGTH
        && name.chars().allMatch(c -> Character.digit(c, 16) >= 0)
        && Files.isRegularFile(path);
  }

  private static void write(Path path, ByteBuffer bytes, long position) {
    try (FileChannel channel = FileChannel.open(path, StandardOpenOption.WRITE)) {
      bytes.position(0);
      while (bytes.hasRemaining()) {
        channel.write(bytes, position + bytes.position());
      }
    } catch (IOException e) {
      throw new PgcontainerException("cannot write " + path + ": " + e.getMessage(), e);
    }
  }
}
