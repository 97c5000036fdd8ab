package dev.pgcontainer.citus;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pgcontainer.citus.RecordingSession.Sent;
import dev.pgcontainer.core.Settings;
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
  private final CitusState state = CitusState.forSettings(Settings.fromEnvironment(Map.of(
      "HOSTNAME", "w1", "CITUS_ENABLE", "true", "CITUS_ROLE", "worker", "CITUS_COORDINATOR_HOST", "coordinator",
      "CITUS_AUTO_REGISTER_WORKERS", "true", "POSTGRES_PASSWORD", "pw")));
  private final List<Duration> attemptsAt = new ArrayList<>();
  private final List<RegistrationStatus> statusAtAttempt = new ArrayList<>();

  @Test
  void aWorkerTheCoordinatorDoesNotListIsLookedUpThenAddedByTheAddressTheCoordinatorReachesItAt() throws Exception {
    RecordingSession coordinator = new RecordingSession().answer(CitusSql.ADD_NODE, "7");

    WorkerRegistration.Outcome outcome = WorkerRegistration.registerOnce(coordinator, HOST, PORT);

    assertThat(coordinator.sent()).containsExactly(
        Sent.of("SELECT nodeid FROM pg_catalog.pg_dist_node WHERE nodename = ? AND nodeport = ?", HOST, PORT),
        Sent.of("SELECT pg_catalog.citus_add_node(?, ?)", HOST, PORT));
    assertThat(outcome).isEqualTo(new WorkerRegistration.Outcome("7", true));
  }

  @Test
  void aWorkerTheCoordinatorListsAlreadyIsNotAddedAgain() throws Exception {
    RecordingSession coordinator = new RecordingSession().answer(CitusSql.NODE_ID, "3");

    WorkerRegistration.Outcome outcome = WorkerRegistration.registerOnce(coordinator, HOST, PORT);

    assertThat(coordinator.sent()).containsExactly(Sent.of(CitusSql.NODE_ID, HOST, PORT));
    assertThat(outcome).isEqualTo(new WorkerRegistration.Outcome("3", false));
  }

  @Test
  void retriesWithDoublingWaitsUntilTheCoordinatorAnswersThenIsRegistered() {
    RecordingSession coordinator = new RecordingSession().answer(CitusSql.ADD_NODE, "7");

    registration(failingTimes(4, coordinator), Duration.ofSeconds(30)).run();

    assertThat(attemptsAt).extracting(Duration::toMillis).containsExactly(0L, 500L, 1_500L, 3_500L, 7_500L);
    assertThat(statusAtAttempt.get(1).state()).isEqualTo(RegistrationState.REGISTERING);
    assertThat(statusAtAttempt.get(1).detail()).as("the last error, on one line")
        .startsWith("Connection to coordinator:5432 refused.").doesNotContain("\n");
    assertThat(state.registration().state()).isEqualTo(RegistrationState.REGISTERED);
    assertThat(state.registration().detail()).isEqualTo("added as node 7");
    assertThat(coordinator.closed()).as("the session is closed after use").isTrue();
  }

  @Test
  void givesUpWhenTenTimesTimeoutIsSpentWithALastAttemptAtTheEndOfTheBudget() {
    registration(failingTimes(Integer.MAX_VALUE, new RecordingSession()), Duration.ofSeconds(3)).run();

    assertThat(attemptsAt).extracting(Duration::toMillis)
        .containsExactly(0L, 500L, 1_500L, 3_500L, 7_500L, 15_500L, 25_500L, 30_000L);
    assertThat(clock.elapsed()).isEqualTo(Duration.ofSeconds(30));
    RegistrationStatus status = state.registration();
    assertThat(status.state()).isEqualTo(RegistrationState.FAILED);
    assertThat(status.registered()).isFalse();
    assertThat(status.detail()).startsWith("Connection to coordinator:5432 refused.");
    assertThat(status.toString()).startsWith("failed, not registered: Connection to coordinator:5432 refused.");
  }

  @Test
  void aRestartedWorkerThatIsListedAlreadyIsRegisteredAtTheFirstAttemptWithoutAnAdd() {
    RecordingSession coordinator = new RecordingSession().answer(CitusSql.NODE_ID, "3");

    registration(failingTimes(0, coordinator), Duration.ofSeconds(30)).run();

    assertThat(attemptsAt).hasSize(1);
    assertThat(coordinator.sent()).extracting(Sent::sql).containsExactly(CitusSql.NODE_ID);
    assertThat(state.registration()).extracting(RegistrationStatus::state, RegistrationStatus::detail)
        .containsExactly(RegistrationState.REGISTERED, "already listed as node 3");
  }

  @Test
  void aStopWhileWaitingEndsTheRegistrationAsNotRegistered() {
    RetryClock interrupting = new RetryClock() {
      @Override
      public Instant now() {
        return FakeRetryClock.START;
      }

      @Override
      public void sleep(Duration duration) throws InterruptedException {
        throw new InterruptedException("stop");
      }
    };
    WorkerRegistration registration = new WorkerRegistration(failingTimes(Integer.MAX_VALUE, new RecordingSession()),
        "coordinator:5432", HOST, PORT, RetryPolicy.forTimeout(Duration.ofSeconds(30)), interrupting, state);

    registration.run();

    assertThat(state.registration().state()).isEqualTo(RegistrationState.NOT_REGISTERED);
    assertThat(Thread.interrupted()).as("the interrupt is kept for the thread's owner").isTrue();
  }

  private WorkerRegistration registration(SqlSession.Opener coordinator, Duration timeout) {
    return new WorkerRegistration(coordinator, "coordinator:5432", HOST, PORT, RetryPolicy.forTimeout(timeout), clock,
        state);
  }

  /** Refuses {@code failures} connections, then hands out {@code session}; notes when each attempt came. */
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
