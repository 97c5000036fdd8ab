package dev.pgcontainer.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pgcontainer.core.Settings.HostPort;
import org.junit.jupiter.api.Test;

class HostPortTest {

  @Test
  void aWildcardListenAddressIsReachedOverLoopback() {
    assertThat(new HostPort("0.0.0.0", 8008).connectable()).hasToString("127.0.0.1:8008");
    assertThat(new HostPort("*", 8008).connectable()).hasToString("127.0.0.1:8008");
    assertThat(new HostPort("::", 8080).connectable()).hasToString("[::1]:8080");
  }

  @Test
  void aSpecificAddressIsReachedAsItIs() {
    assertThat(new HostPort("10.1.2.3", 5432).connectable())
        .isEqualTo(new HostPort("10.1.2.3", 5432));
  }
}
