package io.sabot.exec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sabot.reference.LiveTable;
import org.junit.jupiter.api.Test;

/** The room a rebuilt live table gets for the rate its changes come at, and when it is rebuilt. */
class LiveTableRoomTest {
  private static final long SECOND = 1_000_000_000L;
  private static final long MS = 1_000_000L;

  @Test
  void shouldLetHalfTheRoomLastTenRebuildsOfAFastTable() {
    // 1M rows, 125,000 changes in 1.25 s (100K/s), a rebuild of 300 ms: half the room should
    // last 3 s, 300,000 changes
    assertEquals(600_000, LiveReferences.roomToLast(1_000_000, 125_000, 1_250 * MS, 300 * MS));
  }

  @Test
  void shouldKeepTheLeastRoomForASlowTable() {
    // 10 changes/s: a tenth of a rebuild's share is a few rows; the least room stays
    assertEquals(LiveTable.roomFor(1_000_000),
        LiveReferences.roomToLast(1_000_000, 125_000, 12_500 * SECOND, 300 * MS));
    assertEquals(250_000, LiveTable.roomFor(1_000_000));
  }

  @Test
  void shouldGiveAtMostAsManyRowsAsTheTableHas() {
    // 1M changes/s against a 1M-row table: the room would be 6M rows; it stays at the rows
    assertEquals(1_000_000, LiveReferences.roomToLast(1_000_000, 125_000, 125 * MS, 300 * MS));
    // a small table keeps the least room (4,096 rows), which is more than its rows
    assertEquals(4_096, LiveReferences.roomToLast(1_000, 500, 1 * MS, 300 * MS));
  }

  @Test
  void shouldNeverGiveMoreThanTheMostRoom() {
    assertEquals(LiveReferences.MOST_ROOM,
        LiveReferences.roomToLast(100_000_000, 10_000_000, 1 * SECOND, 10 * SECOND));
  }

  @Test
  void shouldStartTheFirstRebuildWithHalfTheRoomUsed() {
    assertFalse(LiveReferences.rebuildDue(250_000, 125_000, 0, 0));
    assertTrue(LiveReferences.rebuildDue(250_000, 125_001, 0, 0));
  }

  /**
   * 100K changes a second, rebuilds of 300 ms: a room of 600,000 rows (its half lasts ten
   * rebuild-times) is rebuilt once 120,000 rows are left, four rebuild-times, with four fifths used.
   */
  @Test
  void shouldStartATimedRebuildWhenTheRestLastsFourRebuildTimes() {
    double rate = 100_000.0 / SECOND;
    assertFalse(LiveReferences.rebuildDue(600_000, 300_001, rate, 300 * MS));
    assertFalse(LiveReferences.rebuildDue(600_000, 479_999, rate, 300 * MS));
    assertTrue(LiveReferences.rebuildDue(600_000, 480_000, rate, 300 * MS));
  }

  @Test
  void shouldStartATimedRebuildWithAnEighthLeftAtTheLatest() {
    double slow = 10.0 / SECOND;
    assertFalse(LiveReferences.rebuildDue(800_000, 699_999, slow, 300 * MS));
    assertTrue(LiveReferences.rebuildDue(800_000, 700_000, slow, 300 * MS));
  }

  /** A room too small for four rebuild-times (capped at the table's rows) is rebuilt at once. */
  @Test
  void shouldStartATimedRebuildAtOnceWhenTheRoomCannotLastFourRebuildTimes() {
    assertTrue(LiveReferences.rebuildDue(1_000_000, 0, 1_000_000.0 / SECOND, 300 * MS));
  }
}
