package dev.pgcontainer.container;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.dockerjava.api.DockerClient;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.testcontainers.utility.LogUtils;

/**
 * The image is built without Citus by default (WITH_CITUS=false: Citus is not in Debian). Asked for
 * Citus anyway, it refuses to start and says why, instead of starting a server that fails later.
 */
class ImageCitusIT {

  /** The contract's exit code for a configuration error. */
  private static final int CONFIGURATION_ERROR = 78;

  @BeforeEach
  void imageIsAvailable() {
    ImageUnderTest.assumeAvailable();
  }

  @Test
  void citusEnabledWithoutTheExtensionStopsWithAConfigurationError() {
    DockerClient client = Engine.client();
    String id =
        client
            .createContainerCmd(ImageUnderTest.IMAGE)
            .withEnv("POSTGRES_PASSWORD=unused", "CITUS_ENABLE=true")
            .exec()
            .getId();
    try {
      client.startContainerCmd(id).exec();

      int exitCode = client.waitContainerCmd(id).start().awaitStatusCode(120, TimeUnit.SECONDS);

      String logs = LogUtils.getOutput(client, id);
      assertThat(exitCode).as(logs).isEqualTo(CONFIGURATION_ERROR);
      assertThat(logs).as("the error names the variable").contains("CITUS_ENABLE");
    } finally {
      client.removeContainerCmd(id).withRemoveVolumes(true).withForce(true).exec();
    }
  }
}
