package io.sabot.examples;

import de.siegmar.fastcsv.reader.CsvReader;
import de.siegmar.fastcsv.reader.CsvRecord;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The examples' answers computed the slow, obvious way (a loop and a HashMap), to check the
 * engine's output against.
 */
final class ExpectedRows {
  private ExpectedRows() {}

  static List<List<String>> readCsv(Path file) throws IOException {
    List<List<String>> rows = new ArrayList<>();
    try (CsvReader<CsvRecord> reader = CsvReader.builder().ofCsvRecord(file)) {
      for (CsvRecord r : reader) rows.add(r.getFields());
    }
    return rows;
  }

  /** quotes.csv filtered by price > minPrice, joined with securities.csv on ID; header first. */
  static List<List<String>> localEnrichment(Path dir, double minPrice) throws IOException {
    List<List<String>> quotes = readCsv(dir.resolve("quotes.csv"));
    List<List<String>> securities = readCsv(dir.resolve("securities.csv"));
    Map<String, List<String>> byId = new HashMap<>();
    for (List<String> s : securities.subList(1, securities.size())) {
      byId.put(s.get(0), List.of(s.get(1), s.get(2), s.get(3))); // CUSIP, NAME, SECTOR
    }
    List<List<String>> out = new ArrayList<>();
    out.add(List.of("instrumentId", "price", "size", "ts", "CUSIP", "NAME", "SECTOR"));
    for (List<String> q : quotes.subList(1, quotes.size())) {
      List<String> sec = byId.get(q.get(0));
      if (Double.parseDouble(q.get(1)) > minPrice && sec != null) {
        List<String> row = new ArrayList<>(q);
        row.addAll(sec);
        out.add(row);
      }
    }
    return out;
  }

  /**
   * docs/workload.md's quotes (N) joined with securities (R) on instrumentId = ID where price > 100,
   * output instrumentId, price, size, ts, CUSIP, NAME; header first.
   */
  static List<List<String>> workloadEnrichment(int n, int r) {
    List<List<String>> out = new ArrayList<>();
    out.add(List.of("instrumentId", "price", "size", "ts", "CUSIP", "NAME"));
    SplittableRandom random = new SplittableRandom(42);
    for (int i = 0; i < n; i++) {
      long id = random.nextLong(r + r / 20);
      double price = 1.0 + random.nextDouble() * 199.0;
      long size = 1 + random.nextLong(10_000);
      long ts = 1_700_000_000_000L + i;
      if (price > 100 && id < r) {
        out.add(List.of(Long.toString(id), Double.toString(price), Long.toString(size),
            Long.toString(ts), String.format("%09d", (id * 7919L) % 1_000_000_000L), "SEC" + id));
      }
    }
    return out;
  }
}
