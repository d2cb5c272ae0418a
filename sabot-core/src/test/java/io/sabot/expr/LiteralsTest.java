package io.sabot.expr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.format.DateTimeParseException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Timestamp literals (epoch milliseconds or ISO-8601, UTC when no zone) and how values print. */
class LiteralsTest {
  @Test
  void shouldReadEpochMilliseconds() {
    assertEquals(1704164645678L, Literals.parseTimestamp("1704164645678"));
    assertEquals(-1L, Literals.parseTimestamp(" -1 "));
  }

  @Test
  void shouldReadAnInstantWithItsZone() {
    assertEquals(1704164645678L, Literals.parseTimestamp("2024-01-02T03:04:05.678Z"));
  }

  @Test
  void shouldReadADateTimeWithoutZoneAsUtc() {
    assertEquals(1704164645000L, Literals.parseTimestamp("2024-01-02T03:04:05"));
  }

  @Test
  void shouldReadADateAsItsUtcMidnight() {
    assertEquals(1704153600000L, Literals.parseTimestamp("2024-01-02"));
  }

  @Test
  void shouldRefuseTextThatIsNoTimestamp() {
    assertThrows(DateTimeParseException.class, () -> Literals.parseTimestamp("yesterday"));
    assertThrows(DateTimeParseException.class, () -> Literals.parseTimestamp("2024-13-01"));
  }

  @Test
  void shouldQuoteStringsAndBracketLists() {
    assertEquals("'A'", Literals.display("A"));
    assertEquals("12", Literals.display(12));
    assertEquals("2.5", Literals.display(2.5));
    assertEquals("true", Literals.display(true));
    assertEquals("null", Literals.display(null));
    assertEquals("['A', 1, ['b']]", Literals.display(List.of("A", 1, List.of("b"))));
  }
}
