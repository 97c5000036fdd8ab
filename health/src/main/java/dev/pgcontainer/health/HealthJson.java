package dev.pgcontainer.health;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * {@code /health} as JSON, written with Jackson's streaming generator: an ObjectMapper would load
 * databind into the supervising launcher, about 8 MB of resident memory measured, for a document
 * this simple.
 */
final class HealthJson {

  private static final JsonFactory FACTORY = new JsonFactory();

  private HealthJson() {}

  /**
   * {@code
   * {"status":"UP","phase":"RUNNING","live":true,"ready":true,"checkedAt":"...","checks":{"postgresql":
   * {"status":"UP","reason":"primary","durationMs":1.2,"details":{...}}, ...}}}; detail values are
   * strings, numbers or booleans.
   */
  static byte[] write(HealthReport report) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(1024);
    try (JsonGenerator json = FACTORY.createGenerator(out)) {
      json.writeStartObject();
      json.writeStringField("status", report.status().name());
      json.writeStringField("phase", report.phase().name());
      json.writeBooleanField("live", report.live());
      json.writeBooleanField("ready", report.ready());
      json.writeStringField("checkedAt", report.checkedAt().toString());
      json.writeObjectFieldStart("checks");
      for (Map.Entry<String, ProbeResult> check : report.checks().entrySet()) {
        ProbeResult result = check.getValue();
        json.writeObjectFieldStart(check.getKey());
        json.writeStringField("status", result.status().name());
        json.writeStringField("reason", result.reason());
        json.writeNumberField("durationMs", result.duration().toNanos() / 1e6);
        json.writeObjectFieldStart("details");
        for (Map.Entry<String, Object> detail : result.details().entrySet()) {
          json.writeFieldName(detail.getKey());
          json.writeObject(
              detail.getValue()); // without a codec: strings, numbers and booleans, as details are
        }
        json.writeEndObject();
        json.writeEndObject();
      }
      json.writeEndObject();
      json.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException("a health report could not be written as JSON", e);
    }
    return out.toByteArray();
  }
}
