package dev.pgcontainer.citus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class KeptSessionTest {

  private final List<RecordingSession> opened = new ArrayList<>();

  private SqlSession.Opener opener() {
    return () -> {
      RecordingSession session = new RecordingSession();
      opened.add(session);
      return session;
    };
  }

  @Test
  void loansShareOneSessionThatClosingALoanKeeps() throws SQLException {
    KeptSession kept = new KeptSession(opener());

    for (int scrape = 0; scrape < 3; scrape++) {
      try (SqlSession loan = kept.open()) {
        loan.run(CitusSql.EXTENSION_VERSIONS);
        loan.run(CitusSql.NODES);
      }
    }

    assertThat(opened)
        .singleElement()
        .satisfies(
            session -> {
              assertThat(session.sent()).hasSize(6);
              assertThat(session.closed()).isFalse();
            });
  }

  @Test
  void closingReleasesTheSessionAndTheNextLoanOpensANewOne() throws SQLException {
    KeptSession kept = new KeptSession(opener());
    kept.open().run(CitusSql.NODES);

    kept.close();
    kept.open().run(CitusSql.NODES);

    assertThat(opened).hasSize(2);
    assertThat(opened.get(0).closed()).isTrue();
    assertThat(opened.get(1).closed()).isFalse();
  }

  @Test
  void aKeptSessionThatBrokeIsReplacedAndTheStatementRetriedOnce() throws SQLException {
    List<SqlSession> sessions =
        new ArrayList<>(
            List.of(
                failing(new SQLException("terminated", "57P01"), 1),
                new RecordingSession()
                    .answer(CitusSql.NODES, "1", "0", "c", "5432", "primary", "t")));
    KeptSession kept = new KeptSession(() -> sessions.remove(0));
    kept.open().run(CitusSql.EXTENSION_VERSIONS); // opens the first session, which then breaks

    List<List<String>> rows = kept.open().run(CitusSql.NODES);

    assertThat(rows).hasSize(1);
    assertThat(sessions).isEmpty();
  }

  @Test
  void anErrorOfTheStatementItselfIsNotRetriedButTheSessionIsOpenedAgainNextTime()
      throws SQLException {
    SQLException timeout =
        new SQLException("canceling statement due to statement timeout", "57014");
    List<SqlSession> sessions =
        new ArrayList<>(List.of(failing(timeout, 0), new RecordingSession()));
    KeptSession kept = new KeptSession(() -> sessions.remove(0));

    assertThatThrownBy(() -> kept.open().run(CitusSql.NODES)).isSameAs(timeout);
    kept.open().run(CitusSql.NODES);

    assertThat(sessions).isEmpty();
  }

  /** Answers {@code answered} statements, then fails every one with {@code failure}. */
  private static SqlSession failing(SQLException failure, int answered) {
    int[] count = {0};
    return new SqlSession() {
      @Override
      public List<List<String>> run(String sql, Object... parameters) throws SQLException {
        if (count[0]++ >= answered) {
          throw failure;
        }
        return List.of();
      }

      @Override
      public void close() {}
    };
  }
}
