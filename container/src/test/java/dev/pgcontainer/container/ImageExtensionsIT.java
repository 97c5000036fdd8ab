package dev.pgcontainer.container;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The extensions the image ships beyond PostgreSQL's own contrib modules. */
class ImageExtensionsIT {

  @BeforeEach
  void imageIsAvailable() {
    ImageUnderTest.assumeAvailable();
  }

  /**
   * decoderbufs is an output plugin, loaded by the slot that names it: there is no CREATE
   * EXTENSION. PostgreSQL (15.19 and later) lets a slot name only the plugins in
   * output_plugin_libraries, by default its own two.
   */
  static final String DECODERBUFS_COMMAND =
      "postgres -c wal_level=logical -c output_plugin_libraries=pgoutput,decoderbufs";

  @Test
  void decoderbufsDecodesAChangeThroughALogicalReplicationSlot() throws Exception {
    try (PgContainer pg =
        ImageUnderTest.pgContainer("decoderbufs").withCommand(DECODERBUFS_COMMAND)) {
      pg.start();

      assertDecoderbufsDecodes(pg);
    }
  }

  /**
   * A slot on decoderbufs decodes an insert: needs a server started with {@link
   * #DECODERBUFS_COMMAND}.
   */
  static void assertDecoderbufsDecodes(PgContainer pg) throws Exception {
    Sql.execute(pg, "SELECT pg_create_logical_replication_slot('debezium', 'decoderbufs')");
    Sql.execute(
        pg,
        "CREATE TABLE decoded_table (id int PRIMARY KEY); INSERT INTO decoded_table VALUES (1)");

    // the protobuf messages hold the table's name as plain bytes
    assertThat(
            Sql.queryOne(
                pg,
                "SELECT count(*) FROM pg_logical_slot_get_binary_changes('debezium', NULL, NULL)"
                    + " WHERE position('decoded_table'::bytea IN data) > 0"))
        .as("changes decoded by decoderbufs that name the table")
        .isNotEqualTo("0");
  }
}
