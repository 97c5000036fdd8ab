package dev.pgcontainer.health;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;

/** {@code /health} as JSON. The mapper is made on first use: a launcher nobody asks for JSON never loads databind. */
final class HealthJson {

  private HealthJson() {}

  private static final class Mapper {
    static final ObjectMapper INSTANCE = new ObjectMapper();
  }

  /**
   * {@code {"status":"UP","phase":"RUNNING","live":true,"ready":true,"checkedAt":"...","checks":{"postgresql":
   * {"status":"UP","reason":"primary","durationMs":1.2,"details":{...}}, ...}}}.
   */
  static byte[] write(HealthReport report) {
    ObjectMapper mapper = Mapper.INSTANCE;
    ObjectNode root = mapper.createObjectNode();
    root.put("status", report.status().name());
    root.put("phase", report.phase().name());
    root.put("live", report.live());
    root.put("ready", report.ready());
    root.put("checkedAt", report.checkedAt().toString());
    ObjectNode checks = root.putObject("checks");
    for (Map.Entry<String, ProbeResult> check : report.checks().entrySet()) {
      ProbeResult result = check.getValue();
      ObjectNode node = checks.putObject(check.getKey());
      node.put("status", result.status().name());
      node.put("reason", result.reason());
      node.put("durationMs", result.duration().toNanos() / 1e6);
      node.set("details", mapper.valueToTree(result.details()));
    }
    try {
      return mapper.writeValueAsBytes(root);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a health report could not be written as JSON", e);
    }
  }
}
