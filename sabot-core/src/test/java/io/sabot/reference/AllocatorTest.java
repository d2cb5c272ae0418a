package io.sabot.reference;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.sabot.graph.OnDuplicate;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.FieldVector;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/** A fresh allocator per test, which must be back at zero bytes when the test ends. */
abstract class AllocatorTest {
  protected BufferAllocator allocator;

  @BeforeEach
  void openAllocator() {
    allocator = new RootAllocator();
  }

  @AfterEach
  void closeAllocator() {
    assertEquals(0, allocator.getAllocatedMemory(), "bytes still allocated at the end of the test");
    allocator.close();
  }

  /** Builds a table over the vectors (which it then owns) keyed by the given columns. */
  static ReferenceTable table(OnDuplicate policy, int[] keyColumns, FieldVector... vectors) {
    var root = TestVectors.root(vectors);
    return ReferenceTable.build("enrich", TestVectors.schemaOf(root), root, keyColumns, policy);
  }

  /** As above, with the index a test chooses. */
  static ReferenceTable table(IndexChoice choice, OnDuplicate policy, int[] keyColumns, FieldVector... vectors) {
    var root = TestVectors.root(vectors);
    return ReferenceTable.build("enrich", TestVectors.schemaOf(root), root, keyColumns, policy, choice);
  }

  /** Probes every row of the probe vectors, then closes them. */
  static int[] probeAll(ReferenceTable table, FieldVector... probeKeys) {
    try {
      int n = probeKeys[0].getValueCount();
      int[] out = new int[n];
      table.probe(probeKeys, TestVectors.identity(n), n, out);
      return out;
    } finally {
      for (FieldVector v : probeKeys) v.close();
    }
  }
}
