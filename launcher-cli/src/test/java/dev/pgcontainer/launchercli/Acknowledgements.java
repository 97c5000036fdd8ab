package dev.pgcontainer.launchercli;

import static org.assertj.core.api.Assertions.fail;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * The rows a test writer's commits acknowledged, with the waits and measures that failover tests
 * read from them, and the pieces of a writer's loop ({@link LeaderFollowingWriter}, {@link
 * EveryMemberWriter}).
 */
final class Acknowledgements<A extends Acknowledgements.Timed> {

  /** An acknowledgement: when its commit returned ({@link System#nanoTime()}). */
  interface Timed {
    long nanos();
  }

  private final List<A> acks = new ArrayList<>();
  private volatile String lastFailure = "none";

  void add(A ack) {
    synchronized (acks) {
      acks.add(ack);
    }
  }

  /** Remembers why the last attempt failed, for the message of a wait that runs out. */
  void failed(String why) {
    lastFailure = why;
  }

  /** Every acknowledgement so far, in the order of their times. */
  List<A> inOrder() {
    synchronized (acks) {
      return acks.stream().sorted(Comparator.comparingLong(Timed::nanos)).toList();
    }
  }

  /**
   * Waits until {@code count} rows are acknowledged, so that an event falls among steady writes.
   */
  void awaitCount(int count, Duration bound) {
    long deadline = System.nanoTime() + bound.toNanos();
    while (inOrder().size() < count) {
      if (System.nanoTime() > deadline) {
        fail(
            "only %d of %d writes acknowledged within %s; the writer's last failure: %s",
            inOrder().size(), count, bound, lastFailure);
      }
      RunningLauncher.pause();
    }
  }

  /**
   * The first acknowledgement after {@code nanos} that {@code wanted} accepts, waiting up to {@code
   * bound}.
   */
  A awaitAfter(long nanos, Duration bound, Predicate<A> wanted) {
    long deadline = System.nanoTime() + bound.toNanos();
    while (System.nanoTime() < deadline) {
      Optional<A> first =
          inOrder().stream().filter(ack -> ack.nanos() > nanos).filter(wanted).findFirst();
      if (first.isPresent()) {
        return first.get();
      }
      RunningLauncher.pause();
    }
    return fail(
        "no write was acknowledged within %s after the event; the writer's last failure: %s",
        bound, lastFailure);
  }

  /**
   * The longest stretch without an acknowledgement from {@code fromNanos} on: time without a
   * writable primary.
   */
  Duration longestGapFrom(long fromNanos) {
    long previous = fromNanos;
    long longest = 0;
    for (A ack : inOrder()) {
      if (ack.nanos() > fromNanos) {
        longest = Math.max(longest, ack.nanos() - previous);
        previous = ack.nanos();
      }
    }
    return Duration.ofNanos(longest);
  }

  /**
   * Sleeps what is left of {@code pace} since {@code attemptNanos}; false when interrupted (the
   * writer stops).
   */
  static boolean restUntilNext(long attemptNanos, Duration pace) {
    long rest = pace.toNanos() - (System.nanoTime() - attemptNanos);
    if (rest > 0) {
      try {
        Thread.sleep(rest / 1_000_000, (int) (rest % 1_000_000));
      } catch (InterruptedException e) {
        return false;
      }
    }
    return true;
  }

  static void closeQuietly(Connection connection) {
    if (connection == null) {
      return;
    }
    try {
      connection.close();
    } catch (SQLException e) {
      // the server is gone; nothing to close
    }
  }
}
