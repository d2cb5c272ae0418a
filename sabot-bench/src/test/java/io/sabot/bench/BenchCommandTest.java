package io.sabot.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class BenchCommandTest {
  @Test
  void shouldReadRowCountsWithUnits() {
    BenchCommand.CountConverter c = new BenchCommand.CountConverter();
    assertEquals(1_000_000L, c.convert("1M"));
    assertEquals(10_000L, c.convert("10k"));
    assertEquals(1_000_000L, c.convert("1_000_000"));
    assertThrows(CommandLine.TypeConversionException.class, () -> c.convert("many"));
  }

  @Test
  void shouldRejectAnUnknownFormatWithTheAcceptedOnes() {
    CommandLine cli = new CommandLine(new BenchCommand());
    StringWriter err = new StringWriter();
    cli.setErr(new PrintWriter(err));
    int code = cli.execute("--format", "parquet", "--rows", "10");
    assertEquals(2, code);
    assertTrue(err.toString().contains("--format value=parquet is not supported; use memory, csv, "
        + "jsonl, arrow"), err.toString());
  }

  @Test
  void shouldListTheSinksWhenOneIsUnknown() {
    CommandLine cli = new CommandLine(new BenchCommand());
    StringWriter err = new StringWriter();
    cli.setErr(new PrintWriter(err));
    assertEquals(2, cli.execute("--sink", "void", "--rows", "10"));
    assertTrue(err.toString().contains("--sink value=void is not supported; use discard, batches, "
        + "devnull"), err.toString());
  }

  /** docs/workload.md's recipe, counted without the generator. */
  private static long expectedInnerRows(long n, long r) {
    SplittableRandom random = new SplittableRandom(42);
    long rows = 0;
    for (long i = 0; i < n; i++) {
      long id = random.nextLong(r + r / 20);
      double price = 1.0 + random.nextDouble() * 199.0;
      random.nextLong(10_000);
      if (price > 100 && id < r) rows++;
    }
    return rows;
  }

  @Test
  void shouldRunSinkBatchesEndToEndAgainstBothLoopShapes() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    PrintStream previous = System.out;
    int code;
    try (PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8)) {
      System.setOut(out);
      code = new CommandLine(new BenchCommand()).execute("--rows", "20000", "--reference-rows",
          "100", "--threads", "2", "--sink", "batches", "--warmups", "0", "--runs", "1");
    } finally {
      System.setOut(previous);
    }
    String text = bytes.toString(StandardCharsets.UTF_8);
    assertEquals(0, code, text);
    assertTrue(text.contains("sink batches"), text);
    assertTrue(text.contains("loop array run 1") && text.contains("loop stream run 1"), text);
    assertTrue(text.contains("output SINK discard=true materialize=true  ->"), text);
    String last = text.strip().substring(text.strip().lastIndexOf('\n') + 1);
    assertTrue(last.matches("RESULT rows_per_s=\\d+ out=" + expectedInnerRows(20_000, 100)
        + " ratio_vs_hashmap=\\d+\\.\\d\\d ratio_vs_loop=\\d+\\.\\d\\d"
        + " ratio_vs_streaming_loop=\\d+\\.\\d\\d"), last);
  }

  /** Runs {@code sabot bench} with these arguments; its exit code and stdout. */
  private static String bench(int[] code, String... args) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    PrintStream previous = System.out;
    try (PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8)) {
      System.setOut(out);
      code[0] = new CommandLine(new BenchCommand()).execute(args);
    } finally {
      System.setOut(previous);
    }
    return bytes.toString(StandardCharsets.UTF_8);
  }

  private static String resultLine(String text) {
    String last = text.strip().substring(text.strip().lastIndexOf('\n') + 1);
    assertTrue(last.startsWith("RESULT "), text);
    return last;
  }

  private static String out(String resultLine) {
    return resultLine.replaceAll(".* (out=\\d+) .*", "$1");
  }

  @Test
  void shouldWriteTheQuotesAsFourFilesAndReadThemToTheSameRows(@TempDir Path dir) throws Exception {
    int[] code = new int[1];
    String[] common = {"--rows", "20000", "--reference-rows", "100", "--threads", "2",
        "--format", "csv", "--warmups", "0", "--runs", "1", "--data-dir", dir.toString()};
    String single = bench(code, common);
    assertEquals(0, code[0], single);
    String[] withFiles = Stream.concat(Stream.of(common), Stream.of("--files", "4"))
        .toArray(String[]::new);
    String four = bench(code, withFiles);
    assertEquals(0, code[0], four);
    assertTrue(four.contains("(quotes as 4 files)"), four);
    Path folder = dir.resolve("quotes-20000-100-8192-4files.csv");
    assertTrue(four.contains("data: wrote " + folder + " ("), four);
    assertTrue(four.contains(", 4 files) in "), four);
    assertTrue(four.contains("load_quotes SOURCE path=" + folder), four);
    assertEquals("out=" + expectedInnerRows(20_000, 100), out(resultLine(single)));
    assertEquals(out(resultLine(single)), out(resultLine(four)));
    try (Stream<Path> files = Files.list(folder)) {
      List<String> names = files.map(p -> p.getFileName().toString()).sorted()
          .collect(Collectors.toList());
      assertEquals(List.of("part-0.csv", "part-1.csv", "part-2.csv", "part-3.csv"), names);
    }
    for (int f = 0; f < 4; f++) { // 5,000 rows and a header each
      assertEquals(5_001, Files.readAllLines(folder.resolve("part-" + f + ".csv")).size());
    }

    String again = bench(code, withFiles);
    assertEquals(0, code[0], again);
    assertTrue(again.contains("data: reusing " + folder + " ("), again);
    assertEquals(out(resultLine(single)), out(resultLine(again)));
  }

  @Test
  void shouldRefuseSeveralFilesInMemory() {
    CommandLine cli = new CommandLine(new BenchCommand());
    StringWriter err = new StringWriter();
    cli.setErr(new PrintWriter(err));
    assertEquals(2, cli.execute("--files", "4", "--rows", "10"));
    assertTrue(err.toString().contains("--files 4 needs --format csv, jsonl or arrow"), err.toString());
  }
}
