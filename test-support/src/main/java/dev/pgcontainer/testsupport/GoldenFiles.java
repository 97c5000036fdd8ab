package dev.pgcontainer.testsupport;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Rendered files compared with reviewed ones under {@code src/test/resources/golden/<case>/} of the
 * module under test. After a deliberate change, {@code -Dgolden.update=true} rewrites them; review
 * the diff before committing.
 */
public final class GoldenFiles {

  private static final Path GOLDEN = Path.of("src/test/resources/golden");
  private static final boolean UPDATE = Boolean.getBoolean("golden.update");

  private GoldenFiles() {}

  /**
   * Asserts that {@code files} (content by path) are exactly the files of case {@code name}, byte
   * for byte.
   */
  public static void assertMatches(String name, Map<Path, String> files) {
    Map<String, String> rendered = new TreeMap<>();
    files.forEach((path, content) -> rendered.put(path.getFileName().toString(), content));
    Path expectedDirectory = GOLDEN.resolve(name);
    try {
      if (UPDATE) {
        Files.createDirectories(expectedDirectory);
        for (Map.Entry<String, String> file : rendered.entrySet()) {
          Files.writeString(
              expectedDirectory.resolve(file.getKey()), file.getValue(), StandardCharsets.UTF_8);
        }
      }
      try (Stream<Path> expectedFiles = Files.list(expectedDirectory)) {
        assertEquals(
            expectedFiles.map(p -> p.getFileName().toString()).sorted().toList(),
            rendered.keySet().stream().sorted().toList(),
            "golden files of " + name);
      }
      for (Map.Entry<String, String> file : rendered.entrySet()) {
        String expected =
            Files.readString(expectedDirectory.resolve(file.getKey()), StandardCharsets.UTF_8);
        assertEquals(expected, file.getValue(), name + "/" + file.getKey());
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
