package dev.pgcontainer.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class SecretTest {

  private static final String VALUE = "s3cr3t-Value-42";

  @Test
  void toStringIsRedacted() {
    assertThat(Secret.of(VALUE)).hasToString("<redacted>");
  }

  @Test
  void toStringOfEnclosingValuesIsRedactedToo() {
    Optional<Secret> wrapped = Optional.of(Secret.of(VALUE));

    assertThat(wrapped.toString() + " " + Secret.of(VALUE)).doesNotContain(VALUE);
  }

  @Test
  void revealReturnsTheValue() {
    assertThat(Secret.of(VALUE).reveal()).isEqualTo(VALUE);
  }

  @Test
  void secretsWithTheSameValueAreEqual() {
    assertThat(Secret.of(VALUE)).isEqualTo(Secret.of(VALUE)).hasSameHashCodeAs(Secret.of(VALUE));
  }

  @Test
  void secretsWithDifferentValuesDiffer() {
    assertThat(Secret.of(VALUE)).isNotEqualTo(Secret.of(VALUE + "x"));
  }

  @Test
  void nullIsRejected() {
    assertThatNullPointerException().isThrownBy(() -> Secret.of(null));
  }
}
