package io.sabot.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** KeyIndex against a HashMap of the key texts, through both of its kinds of keys and layouts. */
class KeyIndexTest {
  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void shouldTellCanonicalLongTextFromOtherBytes() {
    KeyIndex k = new KeyIndex();
    for (long v : new long[] {0, 1, -1, 7, -12, 4711, Long.MAX_VALUE, Long.MIN_VALUE}) {
      assertTrue(k.isCanonical(utf8(Long.toString(v))), Long.toString(v));
    }
    for (String s : new String[] {"", "-", "-0", "00", "007", "+1", " 1", "1 ", "1.0", "1e3", "abc",
        "9223372036854775808", "-9223372036854775809", "99999999999999999999", "１"}) {
      assertFalse(k.isCanonical(utf8(s)), s);
    }
  }

  /** The same operations on a KeyIndex and a map of texts, then the same contents. */
  private static void compare(List<String> keys, long seed, int operations) {
    Random random = new Random(seed);
    KeyIndex index = new KeyIndex();
    Map<String, Integer> model = new HashMap<>();
    int nextSlot = 0;
    for (int op = 0; op < operations; op++) {
      String key = keys.get(random.nextInt(keys.size()));
      int kind = random.nextInt(10);
      if (kind < 6) {
        Integer had = model.putIfAbsent(key, nextSlot);
        int got;
        if (random.nextBoolean() && index.isCanonical(utf8(key))) {
          got = index.putIfAbsent(Long.parseLong(key), nextSlot);
        } else {
          got = index.putIfAbsent(utf8(key), nextSlot);
        }
        assertEquals(had == null ? -1 : had, got, "putIfAbsent " + key);
        if (had == null) nextSlot++;
      } else if (kind < 9) {
        Integer had = model.remove(key);
        assertEquals(had == null ? -1 : had, index.remove(utf8(key)), "remove " + key);
      } else {
        // renumber: the slots in reverse
        int n = nextSlot;
        int[] map = new int[n];
        for (int s = 0; s < n; s++) map[s] = n - 1 - s;
        index.renumber(map);
        model.replaceAll((kk, s) -> n - 1 - s);
      }
      if (op % 97 == 0) assertEquals(model.size(), index.size());
    }
    for (String key : keys) {
      Integer want = model.get(key);
      assertEquals(want == null ? -1 : want, index.get(utf8(key)), "get " + key);
      if (index.isCanonical(utf8(key))) {
        assertEquals(want == null ? -1 : want, index.get(Long.parseLong(key)), "get long " + key);
      }
    }
    assertEquals(model.size(), index.size());
  }

  @Test
  void shouldKeepDenseIdsInAnArray() {
    List<String> keys = new ArrayList<>();
    for (int i = 0; i < 3000; i++) keys.add(Integer.toString(1_000_000 + i));
    compare(keys, 1, 20_000);
    // descending and negative ids, around zero
    keys.clear();
    for (int i = 1500; i >= -1500; i--) keys.add(Integer.toString(i));
    compare(keys, 2, 20_000);
  }

  @Test
  void shouldHashSparseIdsAndOtherKeys() {
    Random random = new Random(3);
    List<String> keys = new ArrayList<>();
    for (int i = 0; i < 2000; i++) keys.add(Long.toString(random.nextLong()));
    keys.add(Long.toString(Long.MAX_VALUE));
    keys.add(Long.toString(Long.MIN_VALUE));
    keys.add(Long.toString(Long.MAX_VALUE - 1));
    for (int i = 0; i < 500; i++) keys.add("key-" + i);
    for (int i = 0; i < 50; i++) keys.add("00" + i);
    keys.add("-0");
    keys.add("");
    keys.add("é");
    compare(keys, 4, 30_000);
  }

  @Test
  void shouldSwitchFromTheArrayToTheHashWhenIdsSpreadOut() {
    List<String> keys = new ArrayList<>();
    for (int i = 0; i < 1000; i++) keys.add(Integer.toString(i));
    for (int i = 0; i < 10; i++) keys.add(Long.toString(1L << (40 + i)));
    keys.add(Long.toString(Long.MAX_VALUE));
    keys.add(Long.toString(Long.MIN_VALUE));
    compare(keys, 5, 20_000);
  }
}
