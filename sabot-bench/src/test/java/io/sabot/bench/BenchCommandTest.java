package io.sabot.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
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
}
