package io.sabot.expr;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.stream.Collectors;

/** Conversions of job-file literal values (from YAML/JSON) to column types. */
public final class Literals {
  private Literals() {}

  /** How a value reads in plans and messages: strings quoted, lists bracketed. */
  public static String display(Object value) {
    if (value instanceof String) return "'" + value + "'";
    if (value instanceof List) {
      return ((List<?>) value).stream().map(Literals::display).collect(Collectors.joining(", ", "[", "]"));
    }
    return String.valueOf(value);
  }

  /** Epoch milliseconds from a number or an ISO-8601 date or date-time (UTC when no zone). */
  public static long parseTimestamp(String text) {
    String t = text.trim();
    try {
      return Long.parseLong(t);
    } catch (NumberFormatException ignored) {
      // not epoch milliseconds; try ISO-8601 below
    }
    try {
      return Instant.parse(t).toEpochMilli();
    } catch (DateTimeParseException ignored) {
      // no zone; try local date-time
    }
    try {
      return LocalDateTime.parse(t).toInstant(ZoneOffset.UTC).toEpochMilli();
    } catch (DateTimeParseException ignored) {
      // not a date-time; try a date
    }
    return LocalDate.parse(t).atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
  }
}
