package dev.pgcontainer.container;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.spi.ToolProvider;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The image's Java runtime is linked with a fixed module list (the Dockerfile's JAVA_MODULES): a
 * new dependency that needs another module would otherwise fail only at run time, in the image.
 */
class ImageJavaModulesTest {

  private static final Path DOCKERFILE = Path.of("Dockerfile");
  private static final Path APP = Path.of("..", "launcher-cli", "target", "app");
  private static final Pattern JAVA_MODULES = Pattern.compile("(?m)^ARG JAVA_MODULES=(\\S+)$");

  @Test
  void theLinkedRuntimeHasEveryModuleTheAppFolderNeeds() throws Exception {
    boolean built = Files.isRegularFile(APP.resolve("pgcontainer.jar"));
    String missing = "no app folder in " + APP + ": build it with mvn -pl launcher-cli -am package";
    // CI builds the app folder (for the image, and in the reactor before this module): there its
    // absence is an error
    assertThat(built || !"true".equals(System.getenv("CI"))).as("CI=true and %s", missing).isTrue();
    assumeTrue(built, missing);
    Matcher declared = JAVA_MODULES.matcher(Files.readString(DOCKERFILE));
    assertThat(declared.find()).as("ARG JAVA_MODULES=... in %s", DOCKERFILE).isTrue();
    Set<String> linked = Set.of(declared.group(1).split(","));

    assertThat(linked).containsAll(modulesNeededBy(APP));
  }

  private static Set<String> modulesNeededBy(Path app) throws Exception {
    List<String> jars;
    try (Stream<Path> lib = Files.list(app.resolve("lib"))) {
      jars =
          lib.map(Path::toString)
              .filter(name -> name.endsWith(".jar"))
              .sorted()
              .collect(Collectors.toList());
    }
    List<String> arguments =
        new ArrayList<>(
            List.of(
                "--multi-release",
                "17",
                "--ignore-missing-deps",
                "--print-module-deps",
                "--class-path",
                String.join(java.io.File.pathSeparator, jars),
                app.resolve("pgcontainer.jar").toString()));
    arguments.addAll(jars);
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    ToolProvider jdeps =
        ToolProvider.findFirst("jdeps")
            .orElseThrow(() -> new AssertionError("jdeps is missing: run the tests with a JDK"));
    int exitCode =
        jdeps.run(new PrintWriter(out), new PrintWriter(err), arguments.toArray(String[]::new));
    assertThat(exitCode).as("jdeps %s\n%s", arguments, err).isZero();
    // the module list is the last line; split-package warnings come before it
    String[] lines = out.toString().strip().split("\n");
    return new TreeSet<>(Arrays.asList(lines[lines.length - 1].strip().split(",")));
  }
}
