package dev.pgcontainer.backup;

import com.cronutils.model.Cron;
import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.model.time.ExecutionTime;
import com.cronutils.parser.CronParser;
import java.time.ZonedDateTime;
import java.util.Objects;
import java.util.Optional;

/**
 * A 5-field UNIX cron expression ({@code minute hour day-of-month month day-of-week}), parsed and
 * evaluated by cron-utils. Times are in the zone of the {@code ZonedDateTime} asked about, which
 * the launcher takes from the system ({@code TZ}), as cron does.
 */
public final class CronSchedule {

  /** How a schedule must look, for messages that say what to write instead. */
  static final String FORM =
      "a cron expression of 5 fields: minute (0-59) hour (0-23) day-of-month (1-31) month (1-12) day-of-week (0-7,"
          + " 0 and 7 are Sunday), e.g. '0 2 * * 0' for 02:00 every Sunday";

  private static final CronParser PARSER =
      new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.UNIX));

  private final String expression;
  private final ExecutionTime executionTime;

  private CronSchedule(String expression, ExecutionTime executionTime) {
    this.expression = expression;
    this.executionTime = executionTime;
  }

  /**
   * Parses {@code expression}.
   *
   * @throws IllegalArgumentException with what is wrong, as {@link #problem(String)} says it
   */
  public static CronSchedule parse(String expression) {
    Objects.requireNonNull(expression, "expression");
    try {
      Cron cron = PARSER.parse(expression.trim()).validate();
      return new CronSchedule(expression.trim(), ExecutionTime.forCron(cron));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("must be " + FORM + " (" + e.getMessage() + ")", e);
    }
  }

  /**
   * What is wrong with {@code expression}, or empty when it is a valid schedule; the shape of
   * {@link ScheduleValidator}, so that a bad schedule is a configuration error at validation time.
   */
  public static Optional<String> problem(String expression) {
    try {
      parse(expression);
      return Optional.empty();
    } catch (IllegalArgumentException e) {
      return Optional.of(e.getMessage());
    }
  }

  /**
   * The first time after {@code after} that the schedule names; empty if there is none (e.g. 30
   * February).
   */
  public Optional<ZonedDateTime> nextAfter(ZonedDateTime after) {
    return executionTime.nextExecution(after);
  }

  /** The last time before {@code before} that the schedule named; empty if there was none. */
  public Optional<ZonedDateTime> lastBefore(ZonedDateTime before) {
    return executionTime.lastExecution(before);
  }

  @Override
  public String toString() {
    return expression;
  }
}
