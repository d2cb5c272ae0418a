package io.sabot.connect.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ValueParserTest {
  private final ValueParser p = new ValueParser();

  private boolean parseLong(String s) {
    return p.parseLong(s.toCharArray(), 0, s.length());
  }

  private boolean parseDouble(String s) {
    return p.parseDouble(s.toCharArray(), 0, s.length());
  }

  private boolean parseTimestamp(String s) {
    return p.parseTimestamp(s.toCharArray(), 0, s.length());
  }

  @Test
  void shouldParseIntegersUpToTheLongRange() {
    assertTrue(parseLong("9223372036854775807"));
    assertEquals(Long.MAX_VALUE, p.longValue());
    assertTrue(parseLong("-9223372036854775808"));
    assertEquals(Long.MIN_VALUE, p.longValue());
    assertTrue(parseLong("+42"));
    assertEquals(42, p.longValue());
    for (String bad : new String[] {"9223372036854775808", "-9223372036854775809", "", "-", "1.0", "1e3", "0x1", "1 "}) {
      assertFalse(parseLong(bad), bad);
    }
  }

  @Test
  void shouldParseDoublesExactlyAsJavaDoes() {
    SplittableRandom r = new SplittableRandom(7);
    for (int i = 0; i < 100_000; i++) {
      double d = switch (i % 5) {
        case 4 -> 1.0 + r.nextDouble() * 199.0;
        case 0 -> r.nextDouble() * 1000;
        case 1 -> Double.longBitsToDouble(r.nextLong());
        case 2 -> Math.round(r.nextDouble() * 1e6) / 100.0;
        default -> r.nextLong(1_000_000_000_000L) / 1e9;
      };
      if (Double.isNaN(d)) continue;
      String s = Double.toString(d);
      assertTrue(parseDouble(s), s);
      assertEquals(Double.doubleToLongBits(Double.parseDouble(s)), Double.doubleToLongBits(p.doubleValue()), s);
      String plain = new java.math.BigDecimal(s).toPlainString();
      if (plain.length() < 40) {
        assertTrue(parseDouble(plain), plain);
        assertEquals(Double.parseDouble(plain), p.doubleValue(), plain);
      }
    }
  }

  @Test
  void shouldAcceptTheSpellingsDoubleToStringPrintsAndNoOthers() {
    for (String ok : new String[] {"1", "-0.0", ".5", "5.", "1e10", "1.0E-5", "+3", "NaN", "Infinity", "-Infinity",
        "123456789012345678901234567890"}) {
      assertTrue(parseDouble(ok), ok);
      assertEquals(Double.parseDouble(ok), p.doubleValue(), ok);
    }
    for (String bad : new String[] {"", ".", "e5", "1e", "1d", "1f", "0x1p3", "1,5", "abc", "inf", "1.2.3"}) {
      assertFalse(parseDouble(bad), bad);
    }
  }

  @Test
  void shouldParseTimestampsAsEpochMillisOrIso8601() {
    assertTrue(parseTimestamp("1700000000000"));
    assertEquals(1_700_000_000_000L, p.longValue());
    assertTrue(parseTimestamp("2024-01-02T03:04:05Z"));
    assertEquals(1_704_164_645_000L, p.longValue());
    assertTrue(parseTimestamp("2024-01-02T03:04:05.123"));
    assertEquals(1_704_164_645_123L, p.longValue());
    assertTrue(parseTimestamp("2024-01-02 03:04:05+01:00"));
    assertEquals(1_704_161_045_000L, p.longValue());
    assertTrue(parseTimestamp("2024-01-02"));
    assertEquals(1_704_153_600_000L, p.longValue());
    assertFalse(parseTimestamp("2024-13-02"));
    assertFalse(parseTimestamp("yesterday"));
  }

  @Test
  void shouldSpotLeadingZeros() {
    for (String s : new String[] {"000123", "01", "-07"}) assertTrue(ValueParser.hasLeadingZero(s.toCharArray(), 0, s.length()), s);
    for (String s : new String[] {"0", "0.5", "10", "-0", ""}) assertFalse(ValueParser.hasLeadingZero(s.toCharArray(), 0, s.length()), s);
  }
}
