package dev.pgcontainer.supervision;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Reads one output stream of a child line by line on its own daemon thread. */
final class OutputPump {

  private static final Logger LOG = LoggerFactory.getLogger(OutputPump.class);

  private OutputPump() {}

  /**
   * Starts reading; the returned future completes at end of stream, i.e. when the child and every
   * descendant holding the pipe have closed it.
   */
  static CompletableFuture<Void> start(
      InputStream stream, String threadName, Consumer<String> lineSink) {
    CompletableFuture<Void> endOfStream = new CompletableFuture<>();
    Thread reader =
        new Thread(
            () -> {
              try (BufferedReader lines =
                  new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
                String line;
                while ((line = lines.readLine()) != null) {
                  deliver(lineSink, line, threadName);
                }
              } catch (IOException e) {
                LOG.debug("{}: stopped reading: {}", threadName, e.toString());
              } finally {
                endOfStream.complete(null);
              }
            },
            threadName);
    reader.setDaemon(true);
    reader.start();
    return endOfStream;
  }

  private static void deliver(Consumer<String> lineSink, String line, String threadName) {
    try {
      lineSink.accept(line);
    } catch (RuntimeException e) {
      // keep draining whatever happens: a pipe nobody reads fills up and blocks the child
      LOG.warn("{}: could not handle an output line: {}", threadName, e.toString());
    }
  }
}
