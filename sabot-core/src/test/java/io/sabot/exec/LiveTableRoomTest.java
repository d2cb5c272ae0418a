package io.sabot.exec;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.sabot.reference.LiveTable;
import org.junit.jupiter.api.Test;

/** The room a rebuilt live table gets for the rate its changes come at. */
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
}
