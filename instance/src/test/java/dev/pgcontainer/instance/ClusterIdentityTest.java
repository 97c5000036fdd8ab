package dev.pgcontainer.instance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pgcontainer.core.PgcontainerException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.CRC32C;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The identity a template copy gets, on a pg_control and WAL segment laid out as PostgreSQL 15
 * writes them (the real server reads them in ClusterTemplateIT): identifier first, nonce before the
 * CRC-32C, which covers what precedes it.
 */
class ClusterIdentityTest {

  /** offsetof(ControlFileData, crc) in PostgreSQL 15 on x86-64. */
  private static final int CRC_OFFSET = 288;

  private static final long OLD_IDENTIFIER = 7716354653604184525L;
  private static final String SEGMENT = "000000010000000000000001";

  @TempDir Path cluster;

  @BeforeEach
  void clusterOfATemplate() throws IOException {
    ByteBuffer control = ByteBuffer.allocate(8192).order(ByteOrder.LITTLE_ENDIAN);
    control.putLong(0, OLD_IDENTIFIER);
    control.putInt(8, 1300);
    control.put(
        CRC_OFFSET - ClusterIdentity.NONCE_LENGTH, filled(ClusterIdentity.NONCE_LENGTH, (byte) 7));
    control.putInt(CRC_OFFSET, crc(control.array(), CRC_OFFSET));
    Files.createDirectories(cluster.resolve("global"));
    Files.write(cluster.resolve("global/pg_control"), control.array());
    Files.createDirectories(cluster.resolve("pg_wal/archive_status"));
    Files.write(cluster.resolve("pg_wal").resolve(SEGMENT), walSegmentOf(OLD_IDENTIFIER));
  }

  @Test
  void theNewIdentifierAndNonceAreInPgControlWithAValidCrcAndInTheWalHeader() throws IOException {
    long identifier = ClusterIdentity.newSystemIdentifier();
    byte[] nonce = filled(ClusterIdentity.NONCE_LENGTH, (byte) 42);

    ClusterIdentity.renew(cluster, identifier, nonce);

    ByteBuffer control =
        ByteBuffer.wrap(Files.readAllBytes(cluster.resolve("global/pg_control")))
            .order(ByteOrder.LITTLE_ENDIAN);
    assertThat(control.getLong(0))
        .isEqualTo(identifier)
        .isEqualTo(ClusterIdentity.systemIdentifier(cluster));
    assertThat(Arrays.copyOfRange(control.array(), CRC_OFFSET - nonce.length, CRC_OFFSET))
        .isEqualTo(nonce);
    assertThat(control.getInt(CRC_OFFSET)).isEqualTo(crc(control.array(), CRC_OFFSET));
    assertThat(control.getInt(8)).as("the rest is kept").isEqualTo(1300);
    ByteBuffer wal =
        ByteBuffer.wrap(Files.readAllBytes(cluster.resolve("pg_wal").resolve(SEGMENT)))
            .order(ByteOrder.LITTLE_ENDIAN);
    assertThat(wal.getLong(24)).isEqualTo(identifier);
    assertThat(wal.getInt(32)).as("xlp_seg_size, after the identifier, kept").isEqualTo(16 << 20);
  }

  @Test
  void identifiersAreMadeAsInitdbMakesThem() {
    long identifier = ClusterIdentity.newSystemIdentifier();

    assertThat(identifier >>> 32).isCloseTo(System.currentTimeMillis() / 1000, Offset.offset(5L));
    assertThat(identifier & 0xFFF).isEqualTo(ProcessHandle.current().pid() & 0xFFF);
    assertThat(ClusterIdentity.newNonce()).hasSize(32).isNotEqualTo(ClusterIdentity.newNonce());
  }

  @Test
  void aWalSegmentOfAnotherClusterIsRefusedAndPgControlLeftAlone() throws IOException {
    Files.write(
        cluster.resolve("pg_wal/000000010000000000000002"), walSegmentOf(OLD_IDENTIFIER + 1));
    byte[] before = Files.readAllBytes(cluster.resolve("global/pg_control"));

    assertThatThrownBy(
            () -> ClusterIdentity.renew(cluster, 1L, new byte[ClusterIdentity.NONCE_LENGTH]))
        .isInstanceOf(PgcontainerException.class)
        .hasMessageContaining("000000010000000000000002")
        .hasMessageContaining(
            "does not start with a long page header of system identifier " + OLD_IDENTIFIER);
    assertThat(Files.readAllBytes(cluster.resolve("global/pg_control"))).isEqualTo(before);
  }

  @Test
  void aControlFileWithoutItsCrcIsRefused() throws IOException {
    Files.write(cluster.resolve("global/pg_control"), new byte[8192]);

    assertThatThrownBy(
            () -> ClusterIdentity.renew(cluster, 1L, new byte[ClusterIdentity.NONCE_LENGTH]))
        .isInstanceOf(PgcontainerException.class)
        .hasMessageContaining("has no CRC-32C");
  }

  /**
   * The first page's long header: magic, info with XLP_LONG_HEADER, timeline, address, then
   * identifier and sizes.
   */
  private static byte[] walSegmentOf(long identifier) {
    ByteBuffer page = ByteBuffer.allocate(8192).order(ByteOrder.LITTLE_ENDIAN);
    page.putShort(0, (short) 0xD110);
    page.putShort(2, (short) 0x0002);
    page.putInt(4, 1);
    page.putLong(8, 0x1000000L);
    page.putLong(24, identifier);
    page.putInt(32, 16 << 20);
    page.putInt(36, 8192);
    return page.array();
  }

  private static int crc(byte[] bytes, int length) {
    CRC32C crc = new CRC32C();
    crc.update(bytes, 0, length);
    return (int) crc.getValue();
  }

  private static byte[] filled(int length, byte value) {
    byte[] bytes = new byte[length];
    Arrays.fill(bytes, value);
    return bytes;
  }
}
