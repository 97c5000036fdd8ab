package dev.pgcontainer.patroni;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pgcontainer.core.Settings.HostPort;
import org.junit.jupiter.api.Test;

class PatroniRestApiTest {

  @Test
  void readsPatronisStatusWhateverTheVersionCallsTheLeader() {
    assertThat(new PatroniRestApi.MemberStatus("running", "master", false, false).leader())
        .isTrue();
    assertThat(new PatroniRestApi.MemberStatus("running", "primary", false, false).leader())
        .isTrue();
    assertThat(new PatroniRestApi.MemberStatus("running", "replica", false, false).leader())
        .isFalse();
  }

  @Test
  void isReadyOnceRunningInAClusterWithALeader() {
    assertThat(new PatroniRestApi.MemberStatus("running", "master", true, false).ready())
        .as("running, but still bootstrapping: nobody holds the leader key")
        .isFalse();
    assertThat(new PatroniRestApi.MemberStatus("running", "master", true, false).leader())
        .isFalse();
    assertThat(new PatroniRestApi.MemberStatus("running", "replica", false, false).ready())
        .isTrue();
    assertThat(
            new PatroniRestApi.MemberStatus("creating replica", "uninitialized", false, false)
                .ready())
        .isFalse();
  }

  @Test
  void aRestartedLeaderStillInRecoveryIsNotReadyAsAReplica() {
    PatroniRestApi.MemberStatus promoting =
        new PatroniRestApi.MemberStatus("running", "replica", false, true);

    assertThat(promoting.ready())
        .as("it holds the leader key and is about to promote its PostgreSQL")
        .isFalse();
    assertThat(promoting.leader()).isFalse();
  }

  @Test
  void reachesAnApiListeningEverywhereOverLoopback() {
    assertThat(PatroniRestApi.listeningAt(new HostPort("0.0.0.0", 8008)).base())
        .hasToString("http://127.0.0.1:8008/");
    assertThat(PatroniRestApi.listeningAt(new HostPort("::", 8008)).base())
        .hasToString("http://[::1]:8008/");
    assertThat(PatroniRestApi.listeningAt(new HostPort("10.1.2.3", 8009)).base())
        .hasToString("http://10.1.2.3:8009/");
  }
}
