package dev.pgcontainer.container;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.exception.NotFoundException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.testcontainers.DockerClientFactory;

/**
 * The images the image tests run, and the check every one of them starts with: without a Docker-compatible engine or
 * without the image, the test is skipped and the reason printed on the console (and in the failsafe report).
 */
final class ImageUnderTest {

  /** Built by container/ci/build-image.sh; PGCONTAINER_IMAGE names another. */
  static final String IMAGE = System.getenv().getOrDefault("PGCONTAINER_IMAGE", "localhost/pgcontainer:latest");

  /** The etcd image from container/etcd/Dockerfile; PGCONTAINER_ETCD_IMAGE names another. */
  static final String ETCD_IMAGE =
      System.getenv().getOrDefault("PGCONTAINER_ETCD_IMAGE", "localhost/pgcontainer-etcd:latest");

  private static final String HOW_TO_BUILD =
      "build it and start podman's API with container/ci/build-image.sh (as root)";

  private ImageUnderTest() {}

  /** Skips the calling test, saying why, unless an engine answers and has {@link #IMAGE} (and {@code more}). */
  static void assumeAvailable(String... more) {
    List<String> images = new ArrayList<>(List.of(IMAGE));
    images.addAll(List.of(more));
    Optional<String> problem = problem(images);
    problem.ifPresent(reason -> System.err.println("[skipped] image test: " + reason));
    assumeTrue(problem.isEmpty(), problem.orElse(""));
  }

  private static Optional<String> problem(List<String> images) {
    if (!DockerClientFactory.instance().isDockerAvailable()) {
      return Optional.of("no Docker-compatible engine answers (DOCKER_HOST="
          + System.getenv().getOrDefault("DOCKER_HOST", "unset") + "); " + HOW_TO_BUILD);
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
