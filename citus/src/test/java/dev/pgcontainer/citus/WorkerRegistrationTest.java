package dev.pgcontainer.citus;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pgcontainer.citus.RecordingSession.Sent;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WorkerRegistrationTest {

  private static final String HOST = "worker-1.example";
  private static final int PORT = 6432;
  private static final String REFUSED =
      "Connection to coordinator:5432 refused. Check that the hostname and port are correct\nand that the postmaster"
          + " is accepting TCP/IP connections.";

  private final FakeRetryClock clock = new FakeRetryClock();
  private final CitusState state =
      CitusState.forSettings(
          TestSettings.of(
              Map.of(
                  "HOSTNAME",
                  "w1",
                  "CITUS_ENABLE",
                  "true",
                  "CITUS_ROLE",
                  "worker",
                  "CITUS_COORDINATOR_HOST",
                  "coordinator",
                  "CITUS_AUTO_REGISTER_WORKERS",
                  "true",
                  "POSTGRES_PASSWORD",
                  "pw")));
  private final List<Duration> attemptsAt = new ArrayList<>();
  private final List<RegistrationStatus> statusAtAttempt = new ArrayList<>();

  @Test
  void aWorkerTheCoordinatorDoesNotListIsLookedUpThenAddedByTheAddressTheCoordinatorReachesItAt()
      throws Exception {
    RecordingSession coordinator = new RecordingSession().answer(CitusSql.ADD_NODE, "7");
    RecordingSession local = new RecordingSession().answer(CitusSql.LOCAL_GROUP, "0");

    WorkerRegistration.Outcome outcome =
        WorkerRegistration.registerOnce(coordinator, () -> local, HOST, PORT);

    assertThat(coordinator.sent())
        .containsExactly(
            Sent.of(
                "SELECT nodeid FROM pg_catalog.pg_dist_node WHERE nodename = ? AND nodeport = ?",
                HOST,
                PORT),
            Sent.of("SELECT pg_catalog.citus_add_node(?, ?)", HOST, PORT));
    assertThat(local.sent())
        .containsExactly(Sent.of("SELECT groupid FROM pg_catalog.pg_dist_local_group"));
    assertThat(local.closed()).isTrue();
    assertThat(outcome)
        .isEqualTo(
            new WorkerRegistration.Outcome(WorkerRegistration.Result.ADDED, "7", HOST, PORT));
  }

  @Test
  void aWorkerTheCoordinatorListsAlreadyIsNotAddedAgain() throws Exception {
    RecordingSession coordinator = new RecordingSession().answer(CitusSql.NODE_ID, "3");

    WorkerRegistration.Outcome outcome =
        WorkerRegistration.registerOnce(coordinator, this::unexpected, HOST, PORT);

    assertThat(coordinator.sent()).containsExactly(Sent.of(CitusSql.NODE_ID, HOST, PORT));
    assertThat(outcome)
        .isEqualTo(
            new WorkerRegistration.Outcome(WorkerRegistration.Result.LISTED, "3", HOST, PORT));
  }

  @Test
  void aWorkerAddedBeforeUnderAnotherNameIsNotAddedAgain() throws Exception {
    RecordingSession coordinator =
        new RecordingSession()
            .answer(CitusSql.PRIMARY_OF_GROUP, "4", "3f2a9c1d7b6e", String.valueOf(PORT));
    RecordingSession local = new RecordingSession().answer(CitusSql.LOCAL_GROUP, "2");

    WorkerRegistration.Outcome outcome =
        WorkerRegistration.registerOnce(coordinator, () -> local, HOST, PORT);

    assertThat(coordinator.sent())
        .containsExactly(
            Sent.of(CitusSql.NODE_ID, HOST, PORT),
            Sent.of(
                "SELECT nodeid, nodename, nodeport FROM pg_catalog.pg_dist_node WHERE groupid = ?"
                    + " AND noderole = 'primary'",
                2));
    assertThat(outcome)
        .isEqualTo(
            new WorkerRegistration.Outcome(
                WorkerRegistration.Result.LISTED_UNDER_ANOTHER_NAME, "4", "3f2a9c1d7b6e", PORT));
  }

  @Test
  void aWorkerWhoseGroupTheCoordinatorDoesNotKnowIsAdded() throws Exception {
    RecordingSession coordinator = new RecordingSession().answer(CitusSql.ADD_NODE, "9");
    RecordingSession local = new RecordingSession().answer(CitusSql.LOCAL_GROUP, "2");

    WorkerRegistration.Outcome outcome =
        WorkerRegistration.registerOnce(coordinator, () -> local, HOST, PORT);

    assertThat(coordinator.sent())
        .extracting(Sent::sql)
        .containsExactly(CitusSql.NODE_ID, CitusSql.PRIMARY_OF_GROUP, CitusSql.ADD_NODE);
    assertThat(outcome.result()).isEqualTo(WorkerRegistration.Result.ADDED);
  }

  @Test
  void aWorkerListedUnderAnotherNameFailsAtOnceWithoutRetryingOrAdding() {
    RecordingSession coordinator =
        new RecordingSession()
            .answer(CitusSql.PRIMARY_OF_GROUP, "4", "old-name", String.valueOf(PORT));
    RecordingSession local = new RecordingSession().answer(CitusSql.LOCAL_GROUP, "2");

    new WorkerRegistration(
            failingTimes(0, coordinator),
            () -> local,
            "coordinator:5432",
            HOST,
            PORT,
            RetryPolicy.forTimeout(Duration.ofSeconds(30)),
            clock,
            state)
        .run();

    assertThat(attemptsAt).hasSize(1);
    assertThat(coordinator.sent()).extracting(Sent::sql).doesNotContain(CitusSql.ADD_NODE);
    assertThat(state.registration().state()).isEqualTo(RegistrationState.FAILED);
    assertThat(state.registration().detail())
        .isEqualTo(
            "the coordinator lists this worker's group as node 4 at"
                + " old-name:"
                + PORT
                + ", not at CITUS_NODE_HOST="
                + HOST);
  }

  @Test
  void retriesWithDoublingWaitsUntilTheCoordinatorAnswersThenIsRegistered() {
    RecordingSession coordinator = new RecordingSession().answer(CitusSql.ADD_NODE, "7");

    registration(failingTimes(4, coordinator), Duration.ofSeconds(30)).run();

    assertThat(attemptsAt)
        .extracting(Duration::toMillis)
        .containsExactly(0L, 500L, 1_500L, 3_500L, 7_500L);
    assertThat(statusAtAttempt.get(1).state()).isEqualTo(RegistrationState.REGISTERING);
    assertThat(statusAtAttempt.get(1).detail())
        .as("the last error, on one line")
        .startsWith("Connection to coordinator:5432 refused.")
        .doesNotContain("\n");
    assertThat(state.registration().state()).isEqualTo(RegistrationState.REGISTERED);
    assertThat(state.registration().detail()).isEqualTo("added as node 7");
    assertThat(coordinator.closed()).as("the session is closed after use").isTrue();
  }

  @Test
  void givesUpWhenTenTimesTimeoutIsSpentWithALastAttemptAtTheEndOfTheBudget() {
    registration(failingTimes(Integer.MAX_VALUE, new RecordingSession()), Duration.ofSeconds(3))
        .run();

    assertThat(attemptsAt)
        .extracting(Duration::toMillis)
        .containsExactly(0L, 500L, 1_500L, 3_500L, 7_500L, 15_500L, 25_500L, 30_000L);
    assertThat(clock.elapsed()).isEqualTo(Duration.ofSeconds(30));
    RegistrationStatus status = state.registration();
    assertThat(status.state()).isEqualTo(RegistrationState.FAILED);
    assertThat(status.registered()).isFalse();
    assertThat(status.detail()).startsWith("Connection to coordinator:5432 refused.");
    assertThat(status.toString())
        .startsWith("failed, not registered: Connection to coordinator:5432 refused.");
  }

  @Test
  void aRestartedWorkerThatIsListedAlreadyIsRegisteredAtTheFirstAttemptWithoutAnAdd() {
    RecordingSession coordinator = new RecordingSession().answer(CitusSql.NODE_ID, "3");

    registration(failingTimes(0, coordinator), Duration.ofSeconds(30)).run();

    assertThat(attemptsAt).hasSize(1);
    assertThat(coordinator.sent()).extracting(Sent::sql).containsExactly(CitusSql.NODE_ID);
    assertThat(state.registration())
        .extracting(RegistrationStatus::state, RegistrationStatus::detail)
        .containsExactly(RegistrationState.REGISTERED, "already listed as node 3");
  }

  @Test
  void aStopWhileWaitingEndsTheRegistrationAsNotRegistered() {
    RetryClock interrupting =
        new RetryClock() {
          @Override
          public Instant now() {
            return FakeRetryClock.START;
          }

          @Override
          public void sleep(Duration duration) throws InterruptedException {
            throw new InterruptedException("stop");
          }
        };
    WorkerRegistration registration =
        new WorkerRegistration(
            failingTimes(Integer.MAX_VALUE, new RecordingSession()),
            this::unexpected,
            "coordinator:5432",
            HOST,
            PORT,
            RetryPolicy.forTimeout(Duration.ofSeconds(30)),
            interrupting,
            state);

    registration.run();

    assertThat(state.registration().state()).isEqualTo(RegistrationState.NOT_REGISTERED);
    assertThat(Thread.interrupted()).as("the interrupt is kept for the thread's owner").isTrue();
  }

  private WorkerRegistration registration(SqlSession.Opener coordinator, Duration timeout) {
    return new WorkerRegistration(
        coordinator,
        () -> new RecordingSession().answer(CitusSql.LOCAL_GROUP, "0"),
        "coordinator:5432",
        HOST,
        PORT,
        RetryPolicy.forTimeout(timeout),
        clock,
        state);
  }

  private SqlSession unexpected() throws SQLException {
    throw new SQLException("this worker's own server is not expected to be asked");
  }

  /**
   * Refuses {@code failures} connections, then hands out {@code session}; notes when each attempt
   * came.
   */
  private SqlSession.Opener failingTimes(int failures, RecordingSession session) {
    int[] attempts = {0};
    return () -> {
      attemptsAt.add(clock.elapsed());
      statusAtAttempt.add(state.registration());
      if (attempts[0]++ < failures) {
        throw new SQLException(REFUSED, "08001");
      }
      return session;
    };
  }
}
