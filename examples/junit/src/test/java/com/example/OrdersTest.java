package com.example;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.pgcontainer.embedded.PostgresExtension;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** What a user writes: one server for the class, the schema migrated once, a fresh database for every test. */
class OrdersTest {

  @RegisterExtension
  static PostgresExtension pg = PostgresExtension.create().migrateTemplate(template -> {
    try (Connection c = template.connect()) {
      c.createStatement().execute("CREATE TABLE orders (id serial PRIMARY KEY, item text)");
    }
  });

  @Test
  void anOrderIsStored(Connection c) throws Exception {
    c.createStatement().execute("INSERT INTO orders (item) VALUES ('book')");
    assertEquals(1, count(c));
  }

  @Test
  void eachTestStartsEmpty(Connection c) throws Exception {
    assertEquals(0, count(c));
  }

  private static long count(Connection c) throws Exception {
    try (Statement s = c.createStatement(); ResultSet rows = s.executeQuery("SELECT count(*) FROM orders")) {
      rows.next();
      return rows.getLong(1);
    }
  }
}
