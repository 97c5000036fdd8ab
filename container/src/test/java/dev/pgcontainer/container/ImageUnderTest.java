package dev.pgcontainer.container;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.exception.NotFoundException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.PostgreSQLContainer;
import org.testcontainers.containers.output.OutputFrame;
import org.testcontainers.utility.DockerImageName;

/**
 * The images the image tests run, and the check every one of them starts with: without a
 * Docker-compatible engine or without the image, the test is skipped and the reason printed on the
 * console (and in the failsafe report). Under {@code CI=true} it fails instead: CI exists to test
 * the image.
 */
final class ImageUnderTest {

  /** Built by container/ci/build-image.sh; PGCONTAINER_IMAGE names another. */
  static final String IMAGE =
      System.getenv().getOrDefault("PGCONTAINER_IMAGE", "localhost/pgcontainer:latest");

  /**
   * The Dockerfile built with no build arguments (its default release); PGCONTAINER_DEFAULT_IMAGE
   * names another.
   */
  static final String DEFAULT_IMAGE =
      System.getenv().getOrDefault("PGCONTAINER_DEFAULT_IMAGE", "localhost/pgcontainer:default");

  /** The etcd image from container/etcd/Dockerfile; PGCONTAINER_ETCD_IMAGE names another. */
  static final String ETCD_IMAGE =
      System.getenv().getOrDefault("PGCONTAINER_ETCD_IMAGE", "localhost/pgcontainer-etcd:latest");

  private static final String HOW_TO_BUILD =
      "container/ci/build-image.sh (as root) builds the images and starts podman's API";

  /**
   * Where every container's output goes: a container that dies before it is ready takes its logs
   * with it.
   */
  static final Path LOGS = Path.of("target", "image-it-logs");

  private ImageUnderTest() {}

  /** The image under test; its output goes to {@link #LOGS}{@code /NAME.log}. */
  static PgContainer pgContainer(String name) {
    return new PgContainer(IMAGE).withLogConsumer(logTo(name));
  }

  /**
   * Testcontainers' own PostgreSQLContainer on the image under test, which stands in for {@code
   * postgres} as a user switching from the official image would write it; its output goes to {@link
   * #LOGS}{@code /NAME.log}.
   */
  static PostgreSQLContainer<?> postgreSqlContainer(String name) {
    return new PostgreSQLContainer<>(
            DockerImageName.parse(IMAGE).asCompatibleSubstituteFor("postgres"))
        .withLogConsumer(logTo(name));
  }

  /**
   * Writes a container's output to {@link #LOGS}{@code /NAME.log}, replacing the file of an earlier
   * run.
   */
  static Consumer<OutputFrame> logTo(String name) {
    Path file = LOGS.resolve(name + ".log");
    try {
      Files.createDirectories(LOGS);
      Files.deleteIfExists(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return frame -> {
      try {
        Files.writeString(
            file,
            frame.getUtf8String(),
            StandardCharsets.UTF_8,
            StandardOpenOption.CREATE,
            StandardOpenOption.APPEND);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    };
  }

  /**
   * Skips the calling test, saying why, unless an engine answers and has {@link #IMAGE} (and {@code
   * more}).
   */
  static void assumeAvailable(String... more) {
    List<String> images = new ArrayList<>(List.of(IMAGE));
    images.addAll(List.of(more));
    assumeImages(images);
  }

  /**
   * Skips the calling test, saying why, unless an engine answers and has every one of {@code
   * images}; under {@code CI=true} fails it with that reason instead.
   */
  static void assumeImages(List<String> images) {
    Optional<String> problem = problem(images);
    if (problem.isPresent() && "true".equals(System.getenv("CI"))) {
      throw new AssertionError("CI=true and the image test cannot run: " + problem.get());
    }
    problem.ifPresent(reason -> System.err.println("[skipped] image test: " + reason));
    assumeTrue(problem.isEmpty(), problem.orElse(""));
  }

  private static Optional<String> problem(List<String> images) {
    if (!DockerClientFactory.instance().isDockerAvailable()) {
      return Optional.of(
          "no Docker-compatible engine answers (DOCKER_HOST="
              + System.getenv().getOrDefault("DOCKER_HOST", "unset")
              + "); "
              + HOW_TO_BUILD);
    }
    DockerClient client = DockerClientFactory.lazyClient();
    for (String image : images) {
      try {
        client.inspectImageCmd(image).exec();
      } catch (NotFoundException e) {
        return Optional.of("the engine has no image " + image + "; " + HOW_TO_BUILD);
      }
    }
    return Optional.empty();
  }
}
