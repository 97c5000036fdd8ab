package dev.pgcontainer.testsupport;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer.OrderAnnotation;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(SandboxExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(OrderAnnotation.class)
class SandboxExtensionTest {

  private Sandbox classSandbox;
  private Sandbox preparedForTest;
  private Sandbox firstTestsSandbox;

  @BeforeAll
  void keepTheClassSandbox(Sandbox sandbox) {
    classSandbox = sandbox;
  }

  @BeforeEach
  void keepTheTestsSandbox(Sandbox sandbox) {
    preparedForTest = sandbox;
  }

  @Test
  @Order(1)
  void aTestGetsTheSandboxItsBeforeEachGotAndNotTheClasses(Sandbox sandbox) {
    assertThat(sandbox).isSameAs(preparedForTest).isNotSameAs(classSandbox);
    assertThat(sandbox.root()).isDirectory();
    firstTestsSandbox = sandbox;
  }

  @Test
  @Order(2)
  void theNextTestGetsANewSandboxAndThePreviousOneIsDeleted(Sandbox sandbox) {
    assertThat(sandbox).isNotSameAs(firstTestsSandbox);
    assertThat(firstTestsSandbox.root()).doesNotExist();
    assertThat(classSandbox.root()).isDirectory();
  }

  @AfterAll
  void theClassSandboxLastsUntilTheEnd() {
    assertThat(classSandbox.root()).isDirectory();
  }
}
