package dev.pgcontainer.core;

import java.util.Objects;
import java.util.Optional;

/**
 * One parameter as {@code postgres --describe-config} lists it: that listing has no units, enum
 * values or usable defaults, so none are offered here.
 *
 * @param name the parameter, as the server spells it (e.g. {@code shared_buffers}, {@code
 *     DateStyle})
 * @param context when it may change: {@code postmaster} (restart), {@code sighup} (reload), {@code
 *     user}, ...
 * @param group the documentation group, e.g. {@code Resource Usage / Memory}
 * @param type the value type
 * @param minimum the lowest accepted number, for INTEGER and REAL parameters, in the parameter's
 *     base unit
 * @param maximum the highest accepted number, for INTEGER and REAL parameters, in the parameter's
 *     base unit
 * @param description the server's one-line description
 */
public record ServerParameter(
    String name,
    String context,
    String group,
    Type type,
    Optional<String> minimum,
    Optional<String> maximum,
    String description) {

  public enum Type {
    BOOLEAN,
    INTEGER,
    REAL,
    STRING,
    ENUM
  }

  private static final int DESCRIBE_CONFIG_FIELDS = 8;

  public ServerParameter {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(context, "context");
    Objects.requireNonNull(group, "group");
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(minimum, "minimum");
    Objects.requireNonNull(maximum, "maximum");
    Objects.requireNonNull(description, "description");
  }

  /**
   * Parses one line of {@code --describe-config}: name, context, group, type, reset value, min,
   * max, short and long description, separated by tabs. Empty when the line is not such a record
   * (e.g. a type this code does not know).
   */
  static Optional<ServerParameter> fromDescribeConfigLine(String line) {
    String[] fields = line.split("\t", -1);
    if (fields.length < DESCRIBE_CONFIG_FIELDS || fields[0].isEmpty()) {
      return Optional.empty();
    }
    Type type;
    try {
      type = Type.valueOf(fields[3]);
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
    return Optional.of(
        new ServerParameter(
            fields[0],
            fields[1],
            fields[2],
            type,
            nonEmpty(fields[5]),
            nonEmpty(fields[6]),
            fields[7]));
  }

  /**
   * What the parameter accepts, in words, when the type says more than the server's own error
   * message; {@code unit} is the base unit when known (the server names it only in some messages,
   * e.g. {@code 8kB} or {@code ms}).
   */
  Optional<String> acceptedValues(Optional<String> unit) {
    return switch (type) {
      case BOOLEAN -> Optional.of("on, off, true, false, yes, no, 1 or 0");
      case INTEGER ->
          range("an integer").map(range -> range + unit.map(ServerParameter::inUnit).orElse(""));
      case REAL ->
          range("a number").map(range -> range + unit.map(ServerParameter::inUnit).orElse(""));
      case STRING, ENUM ->
          Optional.empty(); // the server lists enum values itself; a string has no general rule
    };
  }

  private Optional<String> range(String kind) {
    return minimum.flatMap(min -> maximum.map(max -> kind + " from " + min + " to " + max));
  }

  private static String inUnit(String unit) {
    return Character.isDigit(unit.charAt(0)) ? " (in units of " + unit + ")" : " " + unit;
  }

  private static Optional<String> nonEmpty(String field) {
    return field.isEmpty() ? Optional.empty() : Optional.of(field);
  }
}
