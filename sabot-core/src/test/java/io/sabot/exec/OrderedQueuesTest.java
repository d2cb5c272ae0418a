package io.sabot.exec;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The queues' order, and the drain after a failure: every item put before the end is handed to
 * the discard, even one a reader put into a partition the drain had already looked at (the batch
 * it holds would otherwise never be closed: a leak the allocator reports at the job's end).
 */
class OrderedQueuesTest {
  @Test
  void shouldGiveItemsInPartitionOrder() throws Exception {
    OrderedQueues<String> q = new OrderedQueues<>(2, 4);
    q.put(1, "b1");
    q.put(0, "a1");
    q.endPartition(0);
    q.endPartition(1);
    q.endAll(2);
    List<String> out = new ArrayList<>();
    String s;
    while (!(s = q.poll(100, "END")).equals("END")) out.add(s);
    assertEquals(List.of("a1", "b1"), out);
  }

  @Test
  void shouldDiscardAnItemPutBehindTheDrainBeforeTheEnd() {
    OrderedQueues<String> q = new OrderedQueues<>(2, 4);
    q.put(1, "b1");
    List<String> discarded = new ArrayList<>();
    q.drain(() -> true, item -> {
      discarded.add(item);
      if (item.equals("b1")) {
        // meanwhile, a reader puts its last item into partition 0, already passed, and the
        // last reader to finish puts the end
        q.put(0, "a-late");
        q.endPartition(0);
        q.endPartition(1);
        q.endAll(2);
      }
    });
    assertEquals(List.of("b1", "a-late"), discarded);
  }
}
