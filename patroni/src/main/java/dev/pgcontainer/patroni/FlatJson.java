package dev.pgcontainer.patroni;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The scalar fields of a JSON object, nested objects flattened to dotted keys ({@code
 * xlog.replayed_location}), arrays skipped. Read with jackson-core's streaming parser: about 50 ms
 * cold against about 300 ms for an ObjectMapper, which matters to a healthcheck that starts a JVM
 * every few seconds.
 */
final class FlatJson {

  private static final JsonFactory FACTORY = new JsonFactory();

  private FlatJson() {}

  static Map<String, Object> parse(byte[] json) throws IOException {
    Map<String, Object> fields = new LinkedHashMap<>();
    try (JsonParser parser = FACTORY.createParser(json)) {
      if (parser.nextToken() != JsonToken.START_OBJECT) {
        throw new IOException("expected a JSON object");
      }
      readObject(parser, "", fields);
    }
    return fields;
  }

  private static void readObject(JsonParser parser, String prefix, Map<String, Object> fields)
      throws IOException {
    while (parser.nextToken() == JsonToken.FIELD_NAME) {
      String key = prefix + parser.currentName();
      JsonToken value = parser.nextToken();
      switch (value) {
        case START_OBJECT -> readObject(parser, key + ".", fields);
        case START_ARRAY -> parser.skipChildren();
        case VALUE_STRING -> fields.put(key, parser.getText());
        case VALUE_NUMBER_INT -> fields.put(key, parser.getLongValue());
        case VALUE_NUMBER_FLOAT -> fields.put(key, parser.getDoubleValue());
        case VALUE_TRUE, VALUE_FALSE -> fields.put(key, parser.getBooleanValue());
        default -> {} // null
      }
    }
  }
}
