package dev.pgcontainer.supervision;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

class OutputTailTest {

  @Test
  void keepsTheLastLinesOldestFirst() {
    OutputTail tail = new OutputTail(3);
    for (int i = 1; i <= 5; i++) {
      tail.add("line " + i);
    }

    assertThat(tail.lines()).containsExactly("line 3", "line 4", "line 5");
  }

  @Test
  void cutsRunawayLines() {
    OutputTail tail = new OutputTail(2);
    tail.add("x".repeat(OutputTail.MAX_LINE_LENGTH + 500));

    assertThat(tail.lines().get(0))
        .hasSize(OutputTail.MAX_LINE_LENGTH + OutputTail.CUT_MARK.length())
        .endsWith(OutputTail.CUT_MARK);
  }

  @Test
  void returnsASnapshot() {
    OutputTail tail = new OutputTail(2);
    tail.add("a");
    List<String> snapshot = tail.lines();
    tail.add("b");

    assertThat(snapshot).containsExactly("a");
  }

  @Test
  void concurrentWritersLoseNothingButTheOldest() throws InterruptedException {
    OutputTail tail = new OutputTail(100);
    CountDownLatch start = new CountDownLatch(1);
    List<Thread> writers = new ArrayList<>();
    for (String stream : List.of("out", "err")) {
      Thread writer =
          new Thread(
              () -> {
                awaitQuietly(start);
                for (int i = 0; i < 10_000; i++) {
                  tail.add(stream + " " + i);
                }
              });
      writer.start();
      writers.add(writer);
    }
    start.countDown();
    for (Thread writer : writers) {
      writer.join();
    }

    List<String> lines = tail.lines();
    assertThat(lines).hasSize(100).doesNotHaveDuplicates().doesNotContainNull();
    assertThat(lines).anyMatch(line -> line.equals("out 9999") || line.equals("err 9999"));
  }

  private static void awaitQuietly(CountDownLatch latch) {
    try {
      latch.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
