package dev.pgcontainer.launchercli;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.extension.TestWatcher;

/**
 * A test class whose tests share one {@link PartitionedCluster} on its own network, made before the
 * first test and removed after the last; the members' state is printed when a test fails.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class OnPartitionedCluster {

  PartitionedCluster cluster;

  @RegisterExtension
  final TestWatcher printMembersOnFailure =
      new TestWatcher() {
        @Override
        public void testFailed(ExtensionContext context, Throwable cause) {
          if (cluster != null) {
            cluster.cluster().printMembers();
          }
        }
      };

  @BeforeAll
  void startClusterOnItsOwnNetwork() {
    cluster = PartitionedCluster.start();
  }

  @AfterAll
  void removeClusterAndNetwork() {
    Cleanup.closeAll(cluster);
  }
}
