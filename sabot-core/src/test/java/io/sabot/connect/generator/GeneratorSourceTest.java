package io.sabot.connect.generator;

import static io.sabot.connect.ConnectorTestSupport.closeChecked;
import static io.sabot.connect.ConnectorTestSupport.read;
import static io.sabot.connect.ConnectorTestSupport.readAll;
import static io.sabot.testing.TestBatches.row;
import static io.sabot.testing.TestBatches.schema;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.sabot.connect.ConnectorTestSupport.Read;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class GeneratorSourceTest {
  private RootAllocator allocator;

  @BeforeEach
  void setUp() {
    allocator = new RootAllocator();
  }

  @AfterEach
  void tearDown() {
    closeChecked(allocator);
  }

  /** docs/workload.md's recipe, written out independently of the generator. */
  private static List<List<Object>> expectedQuotes(int n, long r) {
    SplittableRandom random = new SplittableRandom(42);
    List<List<Object>> rows = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      long id = random.nextLong(r + r / 20);
      double price = 1.0 + random.nextDouble() * 199.0;
      long size = 1 + random.nextLong(10_000);
      rows.add(row(id, price, size, 1_700_000_000_000L + i));
    }
    return rows;
  }

  @Test
  void shouldGenerateQuotesExactlyAsTheWorkloadSays() throws Exception {
    GeneratorSource s = GeneratorSource.quotes(1000, 10_000);
    assertEquals(schema("instrumentId:int64", "price:float64", "size:int64", "ts:int64"), s.schema());
    assertEquals(1, s.partitions().size());
    Read r = read(s, s.schema(), 300, allocator);
    assertEquals(List.of(300, 300, 300, 100), r.batchSizes());
    assertEquals(expectedQuotes(1000, 10_000), r.rows());
  }

  @Test
  void shouldDrawEveryValueWhateverTheProjection() throws Exception {
    GeneratorSource s = GeneratorSource.quotes(50, 200);
    Read r = read(s, schema("size:int64"), 7, allocator);
    List<List<Object>> expected = new ArrayList<>();
    for (List<Object> q : expectedQuotes(50, 200)) expected.add(row(q.get(2)));
    assertEquals(expected, r.rows());
  }

  @Test
  void shouldGenerateSecuritiesExactlyAsTheWorkloadSays() throws Exception {
    GeneratorSource s = GeneratorSource.securities(25);
    Read r = readAll(s, allocator);
    assertEquals(25, r.rows().size());
    assertEquals(row(0L, "000000000", "SEC0", "Technology", "NYSE", "INACTIVE",
        "Security number 0 of the reference master", 0.0, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0), r.rows().get(0));
    assertEquals(row(13L, "000102947", "SEC13", "Health Care", "XETRA", "ACTIVE",
        "Security number 13 of the reference master", 6.5, 7.5, 8.5, 9.5, 10.5, 11.5, 12.5, 13.5), r.rows().get(13));
    String[] sectors = SecuritiesFiller.SECTORS;
    String[] exchanges = {"NYSE", "NASDAQ", "LSE", "XETRA", "TSE"};
    for (int i = 0; i < 25; i++) {
      List<Object> expected = new ArrayList<>(List.of(
          (long) i, String.format("%09d", (i * 7919L) % 1_000_000_000L), "SEC" + i, sectors[i % 11],
          exchanges[i % 5], i % 10 == 0 ? "INACTIVE" : "ACTIVE",
          "Security number " + i + " of the reference master"));
      for (int k = 0; k < 8; k++) expected.add(i * 0.5 + k);
      assertEquals(expected, r.rows().get(i));
    }
  }

  @Test
  void shouldPadLargeCusipsLikeStringFormat() throws Exception {
    // i * 7919 reaches 9 digits at i = 12,628 and wraps past 10^9 at i = 126,279
    GeneratorSource s = GeneratorSource.securities(130_000);
    Read r = read(s, schema("ID:int64", "CUSIP:string"), 65_536, allocator);
    for (int i = 0; i < r.rows().size(); i += (i > 126_200 && i < 126_400) || (i > 12_600 && i < 12_700) ? 1 : 97) {
      assertEquals(row((long) i, String.format("%09d", (i * 7919L) % 1_000_000_000L)), r.rows().get(i));
    }
  }

  @Test
  void shouldGenerateTheTablesInMemoryForBenchmarks() {
    List<VectorSchemaRoot> batches = GeneratorSource.generate(GeneratorSource.Kind.QUOTES, 25, 10_000, 10, allocator);
    try {
      List<List<Object>> rows = new ArrayList<>();
      for (VectorSchemaRoot b : batches) rows.addAll(io.sabot.testing.TestBatches.rows(b));
      assertEquals(List.of(10, 10, 5), batches.stream().map(VectorSchemaRoot::getRowCount).toList());
      assertEquals(expectedQuotes(25, 10_000), rows);
    } finally {
      batches.forEach(VectorSchemaRoot::close);
    }
  }
}
