package io.sabot.graph;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class OnDuplicateTest {
  @Test
  void shouldParseJobFileNames() {
    assertEquals(OnDuplicate.LAST, OnDuplicate.parse("last"));
    assertEquals(OnDuplicate.FIRST, OnDuplicate.parse("First"));
    assertEquals(OnDuplicate.ERROR, OnDuplicate.parse(" error "));
    assertEquals(OnDuplicate.ALL, OnDuplicate.parse("ALL"));
  }

  @Test
  void shouldDefaultToLast() {
    assertEquals(OnDuplicate.LAST, OnDuplicate.parse(null));
    assertEquals(OnDuplicate.LAST, OnDuplicate.parse(""));
  }

  @Test
  void shouldListKnownNamesForUnknownName() {
    var e = assertThrows(IllegalArgumentException.class, () -> OnDuplicate.parse("newest"));
    assertTrue(e.getMessage().contains("'newest'") && e.getMessage().contains("last, first, error, all"), e.getMessage());
  }

  @Test
  void shouldPrintJobFileName() {
    assertEquals("first", OnDuplicate.FIRST.toString());
  }
}
