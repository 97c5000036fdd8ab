package dev.pgcontainer.citus;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A {@link SqlSession} that records every statement with its parameters and answers from a script,
 * by statement.
 */
final class RecordingSession implements SqlSession {

  /** One statement as sent. */
  record Sent(String sql, List<Object> parameters) {
    static Sent of(String sql, Object... parameters) {
      return new Sent(sql, Arrays.asList(parameters));
    }
  }

  private final Map<String, List<List<String>>> answers = new HashMap<>();
  private final List<Sent> sent = new ArrayList<>();
  private boolean closed;

  /** Rows {@code sql} answers with; statements without an answer return no rows. */
  RecordingSession answer(String sql, List<List<String>> rows) {
    answers.put(sql, rows);
    return this;
  }

  RecordingSession answer(String sql, String... oneRow) {
    return answer(sql, List.of(Arrays.asList(oneRow)));
  }

  @Override
  public List<List<String>> run(String sql, Object... parameters) throws SQLException {
    if (closed) {
      throw new SQLException("the session is closed");
    }
    sent.add(new Sent(sql, Arrays.asList(parameters)));
    return answers.getOrDefault(sql, List.of());
  }

  @Override
  public void close() {
    closed = true;
  }

  List<Sent> sent() {
    return sent;
  }

  boolean closed() {
    return closed;
  }
}
