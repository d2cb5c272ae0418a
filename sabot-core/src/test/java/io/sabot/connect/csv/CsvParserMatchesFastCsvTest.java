package io.sabot.connect.csv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import de.siegmar.fastcsv.reader.AbstractBaseCsvCallbackHandler;
import de.siegmar.fastcsv.reader.CsvReader;
import de.siegmar.fastcsv.reader.RecordWrapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Differential test: {@link CsvFileParser} (hand-written, on bytes) must read valid CSV exactly as
 * FastCSV, the library it replaced, does: record by record, the same field values, the same
 * quoted flag per field (the engine reads an unquoted empty field as null and {@code ""} as the
 * empty string), the same starting line number, the same empty lines. Random files come from
 * seeds {@code firstSeed .. firstSeed + files - 1}; a failure names its seed; replay one with
 * {@code -Dsabot.csvOracle.firstSeed=S -Dsabot.csvOracle.files=1}.
 *
 * <p>FastCSV is set to read what CsvFileParser's class comment promises (its defaults differ):
 * <pre>
 *   skipEmptyLines(false)             an empty line is a record of one empty unquoted field
 *                                     (FastCSV's default drops it)
 *   ignoreDifferentFieldCount(true)   records may have any number of fields
 *   acceptCharsAfterQuotes(true)      "ab"c is abc (as long as the extra text holds no quote)
 *   detectBomHeader(true)             a leading BOM is skipped (default: kept as a char)
 * </pre>
 * Only valid UTF-8 with every quote closed goes to the comparison: on anything else FastCSV reads
 * something (U+FFFD, or the rest of the file in one field) where Sabot rejects the record
 * ({@link CsvBadInputTest}). Text after a closing quote that itself holds a quote is also left
 * out: there the two legitimately differ (see {@link #shouldKeepAQuoteAfterAClosingQuoteAsAChar}).
 * So is an LF after a lone CR inside quotes, which FastCSV 3.7.0 gets wrong
 * (see {@link #shouldKeepARecordEndingInAQuotedLoneCr}).
 */
class CsvParserMatchesFastCsvTest {
  private static final long FIRST_SEED = Long.getLong("sabot.csvOracle.firstSeed", 1);
  private static final int FILES = Integer.getInteger("sabot.csvOracle.files", 300);
  private static final int BUFFER = 64 * 1024;
  /** Bits of field text: ASCII, 2-, 3- and 4-byte UTF-8 (a surrogate pair in Java), a BOM char. */
  private static final String[] ATOMS = {
      "a", "b", "Z", "0", "7", " ", "\t", "#", "'", ";", "é", "ß", "€", "中", "文", "😀", "𝄞", "\uFEFF"};
  private static final String[] SPECIALS = {",", "\"", "\r", "\n", "\r\n"};
  private static final String[] EOLS = {"\n", "\r\n", "\r"};

  @TempDir Path dir;

  /** One field: its text, and whether it was quoted. */
  record Field(String text, boolean quoted) {
    @Override
    public String toString() {
      return quoted ? '"' + escape(text) + '"' : escape(text);
    }
  }

  /** One record: its starting line, whether it was an empty line, its fields; problem is Sabot's. */
  record Rec(long line, boolean blank, List<Field> fields, String problem) {
    @Override
    public String toString() {
      return "line " + line + (blank ? " blank " : " ") + fields + (problem == null ? "" : " problem=" + problem);
    }
  }

  @Test
  void shouldReadRandomValidCsvAsFastCsvDoes() throws IOException {
    Path file = dir.resolve("random.csv");
    for (long seed = FIRST_SEED; seed < FIRST_SEED + FILES; seed++) {
      byte[] bytes = randomCsv(random(seed));
      Files.write(file, bytes);
      assertSameRecords(file, "seed=" + seed + " (replay: -Dsabot.csvOracle.firstSeed=" + seed
          + " -Dsabot.csvOracle.files=1)");
    }
  }

  /**
   * Every kind of byte sequence the parser must see whole, placed to start 0 to 4 bytes before the
   * end of its first 64 KiB read, so that it straddles the refill.
   */
  @Test
  void shouldReadSequencesThatStraddleTheReadBuffer() throws IOException {
    String[] insideUnquoted = {"é", "中", "😀", "\r\n", "\r", "\n", ","};
    String[] insideQuoted = {"é", "中", "😀", "\"\"", "\r\n", "\r", "\n", "\",", "\"\r\n", "\"\n"};
    Path file = dir.resolve("straddle.csv");
    for (String bom : new String[] {"", "\uFEFF"}) {
      for (int shift = 0; shift <= 4; shift++) {
        for (String s : insideUnquoted) {
          check(file, bom, "id,", s, "b,c\n", shift);
        }
        for (String s : insideQuoted) {
          check(file, bom, "id,\"", s, "b\",c\r\nnext\n", shift);
        }
        check(file, bom, "", "\r\n", "\r\n\r\n", shift); // a blank line across the refill
      }
    }
  }

  /** Writes {@code bom head filler seq tail}, seq starting {@code shift} bytes before 64 KiB. */
  private void check(Path file, String bom, String head, String seq, String tail, int shift)
      throws IOException {
    int before = utf8(bom + head).length;
    int filler = BUFFER - shift - before;
    String text = bom + head + "x".repeat(filler) + seq + tail;
    Files.write(file, utf8(text));
    assertSameRecords(file, "straddle seq=" + escape(seq) + " shift=" + shift + " bom=" + !bom.isEmpty());
  }

  @Test
  void shouldReadAnEmptyLineAsOneEmptyUnquotedFieldAsConfiguredFastCsvDoes() throws IOException {
    List<Rec> sabot = sameRecords("a\n\n\"\"\r\n\r\n\rb");
    assertEquals(List.of(
        rec(1, "a"), blank(2), new Rec(3, false, List.of(new Field("", true)), null), blank(4), blank(5),
        rec(6, "b")), sabot);
  }

  @Test
  void shouldAppendTextAfterAClosingQuoteToTheField() throws IOException {
    List<Rec> sabot = sameRecords("\"ab\"c,d\n\"ab\" ,\"x\"\"\"y\n");
    assertEquals(List.of(
        new Rec(1, false, List.of(new Field("abc", true), new Field("d", false)), null),
        new Rec(2, false, List.of(new Field("ab ", true), new Field("x\"y", true)), null)), sabot);
  }

  @Test
  void shouldKeepAQuoteInsideAnUnquotedFieldAsAChar() throws IOException {
    List<Rec> sabot = sameRecords("a\"b,c\"\"d,e\"\na\"b\nc\"\n");
    assertEquals(List.of(rec(1, "a\"b", "c\"\"d", "e\""), rec(2, "a\"b"), rec(3, "c\"")), sabot);
  }

  @Test
  void shouldEndLinesAtALoneCrAndCountThem() throws IOException {
    List<Rec> sabot = sameRecords("a,b\rc\r\r\"x\ry\"\rz\r");
    assertEquals(List.of(
        rec(1, "a", "b"), rec(2, "c"), blank(3),
        new Rec(4, false, List.of(new Field("x\ry", true)), null), rec(6, "z")), sabot);
  }

  @Test
  void shouldReadAFinalRecordWithoutLineBreak() throws IOException {
    assertEquals(List.of(rec(1, "a", "")), sameRecords("a,"));
    assertEquals(List.of(new Rec(1, false, List.of(new Field("", true)), null)), sameRecords("\"\""));
    assertEquals(List.of(), sameRecords("\uFEFF"));
    assertEquals(List.of(blank(1)), sameRecords("\uFEFF\r\n"));
  }

  /**
   * A legitimate difference, so left out of the random files: after a closing quote, FastCSV
   * opens quotes again at the next quote (and drops it, and reads line breaks as text until it
   * closes); Sabot keeps to its rule that the text after a closing quote is unquoted text, in
   * which a quote is an ordinary char and a line break ends the record. Neither is RFC 4180.
   */
  @Test
  void shouldKeepAQuoteAfterAClosingQuoteAsAChar() throws IOException {
    Path file = write("\"ab\"c\"d\",e\n\"ab\"x\"y\nz\",w\n");
    assertEquals(List.of(
        new Rec(1, false, List.of(new Field("abc\"d\"", true), new Field("e", false)), null),
        new Rec(2, false, List.of(new Field("abx\"y", true)), null),
        rec(3, "z\"", "w")), sabot(file));
    assertEquals(List.of(
        new Rec(1, false, List.of(new Field("abc\"d", true), new Field("e", false)), null),
        new Rec(2, false, List.of(new Field("abx\"y\nz", true), new Field("w", false)), null)), fastCsv(file),
        "FastCSV's reading changed: revisit this documented difference");
  }

  /**
   * A FastCSV 3.7.0 bug, so avoided in the random files: a lone CR inside a quoted field leaves it
   * taking the next LF (until a quote or a new field) for the second half of a CR LF. Inside the
   * field that LF is not counted as a line, so later line numbers are one too low; when the field
   * ends its record and the record ends with LF, the LF is swallowed: the field is lost and the
   * next line joins the record. Sabot counts CR, then LF as two line breaks, and ends the record at
   * the LF.
   */
  @Test
  void shouldKeepARecordEndingInAQuotedLoneCr() throws IOException {
    Path file = write("x,\"a\rb\"\ny\nz\n");
    assertEquals(List.of(
        new Rec(1, false, List.of(new Field("x", false), new Field("a\rb", true)), null),
        rec(3, "y"), rec(4, "z")), sabot(file));
    assertEquals(List.of(rec(1, "x", "y"), rec(3, "z")), fastCsv(file),
        "FastCSV's reading changed: if fixed, stop avoiding this case in randomCsv");
    Path lines = write("\"a\rb\nc\",x\ny\n");
    assertEquals(List.of(
        new Rec(1, false, List.of(new Field("a\rb\nc", true), new Field("x", false)), null), rec(4, "y")),
        sabot(lines));
    assertEquals(3, fastCsv(lines).get(1).line(), "FastCSV's line count changed: if fixed, stop avoiding this case");
    // with CR LF after the field, or another field after it, or a doubled quote between CR and LF: alike
    sameRecords("x,\"a\rb\"\r\ny\n\"a\rb\",\nz\n\"a\r\"\"\nb\",x\nw\n");
  }

  /**
   * The other difference (invalid input, covered in {@link CsvBadInputTest}): FastCSV reads an
   * unclosed quote to the end of the file; Sabot rejects the line it opened on and goes on.
   */
  @Test
  void shouldRejectOnlyTheLineOfAnUnclosedQuote() throws IOException {
    Path file = write("a,\"b\nc\n");
    List<Rec> sabot = sabot(file);
    assertEquals(2, sabot.size(), () -> "records: " + sabot);
    assertEquals(1, sabot.get(0).line());
    assertEquals("quoted field 2 has no closing quote (still open at the end of the file)", sabot.get(0).problem());
    assertEquals(rec(2, "c"), sabot.get(1));
    assertEquals(List.of(new Rec(1, false, List.of(new Field("a", false), new Field("b\nc\n", true)), null)),
        fastCsv(file));
  }

  // ---- the two parsers ----

  private void assertSameRecords(Path file, String what) throws IOException {
    List<Rec> expected = fastCsv(file);
    List<Rec> actual = sabot(file);
    int n = Math.min(expected.size(), actual.size());
    for (int i = 0; i < n; i++) {
      if (!expected.get(i).equals(actual.get(i))) {
        fail(what + ": record " + i + " differs\n  FastCSV: " + expected.get(i) + "\n  Sabot:   "
            + actual.get(i) + "\n" + excerpt(file));
      }
    }
    if (expected.size() != actual.size()) {
      fail(what + ": FastCSV read " + expected.size() + " records, Sabot " + actual.size() + "; first extra: "
          + (expected.size() > n ? "FastCSV " + expected.get(n) : "Sabot " + actual.get(n)) + "\n" + excerpt(file));
    }
  }

  private List<Rec> sameRecords(String text) throws IOException {
    Path file = write(text);
    assertSameRecords(file, "text=" + escape(text));
    return sabot(file);
  }

  private Path write(String text) throws IOException {
    Path file = dir.resolve("case.csv");
    Files.write(file, utf8(text));
    return file;
  }

  static List<Rec> sabot(Path file) throws IOException {
    CsvFieldBuffer buffer = new CsvFieldBuffer();
    List<Rec> out = new ArrayList<>();
    try (CsvFileParser parser = CsvFileParser.open(file, buffer, Long.MAX_VALUE)) {
      while (parser.next()) {
        List<Field> fields = new ArrayList<>(buffer.fieldCount());
        if (buffer.problem() == null) {
          for (int i = 0; i < buffer.fieldCount(); i++) fields.add(new Field(buffer.field(i), buffer.quoted(i)));
        }
        out.add(new Rec(buffer.line(), buffer.blank(), fields, buffer.problem()));
      }
    }
    return out;
  }

  static List<Rec> fastCsv(Path file) throws IOException {
    List<Rec> out = new ArrayList<>();
    try (CsvReader<Rec> reader = CsvReader.builder().skipEmptyLines(false).ignoreDifferentFieldCount(true)
        .acceptCharsAfterQuotes(true).detectBomHeader(true).build(new Recorder(), file, StandardCharsets.UTF_8)) {
      for (Rec rec : reader) out.add(rec);
    }
    return out;
  }

  /** FastCSV's records with each field's quoted flag, which its CsvRecord does not keep. */
  private static final class Recorder extends AbstractBaseCsvCallbackHandler<Rec> {
    private List<Field> fields = new ArrayList<>();

    @Override
    protected void handleBegin(long startingLineNumber) {
      fields = new ArrayList<>();
    }

    @Override
    protected void handleField(int index, char[] buf, int offset, int len, boolean quoted) {
      fields.add(new Field(new String(buf, offset, len), quoted));
    }

    @Override
    protected RecordWrapper<Rec> buildRecord() {
      return wrapRecord(new Rec(getStartingLineNumber(), isEmptyLine(), fields, null));
    }
  }

  // ---- random valid CSV ----

  /**
   * A small file (up to 20 records), or one in eight past 64 KiB (up to 160 K chars, some fields
   * thousands of chars long), with: one line ending (LF, CR LF, lone CR) or a mix, a final line
   * break or not, a BOM now and then, and empty lines.
   */
  static byte[] randomCsv(Random r) {
    boolean large = r.nextInt(8) == 0;
    int minChars = large ? BUFFER + r.nextInt(96 * 1024) : 0;
    int records = large ? Integer.MAX_VALUE : r.nextInt(21);
    int eolMode = r.nextInt(4);
    boolean finalBreak = r.nextBoolean();
    boolean bom = r.nextInt(6) == 0;
    StringBuilder sb = new StringBuilder();
    boolean loneCrLast = false;
    for (int i = 0; i < records && (!large || sb.length() < minChars); i++) {
      if (i > 0) sb.append(lineBreak(r, eolMode, loneCrLast));
      loneCrLast = false;
      if (r.nextInt(12) == 0) continue; // an empty line
      int fieldCount = 1 + r.nextInt(r.nextInt(4) == 0 ? 12 : 4);
      for (int f = 0; f < fieldCount; f++) {
        if (f > 0) sb.append(',');
        loneCrLast = field(sb, r, large);
      }
    }
    if (finalBreak && sb.length() > 0) sb.append(lineBreak(r, eolMode, loneCrLast));
    // a first field that starts with U+FEFF needs a BOM before it, or its U+FEFF would be one
    if (bom || sb.indexOf("\uFEFF") == 0) sb.insert(0, '\uFEFF');
    return utf8(sb.toString());
  }

  /**
   * The file's line break, or a random one; but never LF after a quoted field holding a lone CR
   * (CR LF instead): FastCSV 3.7.0 loses such a record (see {@link #shouldKeepARecordEndingInAQuotedLoneCr}).
   */
  private static String lineBreak(Random r, int eolMode, boolean afterQuotedLoneCr) {
    String eol = EOLS[eolMode < 3 ? eolMode : r.nextInt(3)];
    return afterQuotedLoneCr && eol.equals("\n") ? "\r\n" : eol;
  }

  /**
   * Appends one field; true when it is quoted and holds a lone CR that FastCSV still pairs with
   * the next LF. Inside quotes such an LF is written as CR LF: FastCSV 3.7.0 would not count it
   * as a line (see {@link #shouldKeepARecordEndingInAQuotedLoneCr}).
   */
  private static boolean field(StringBuilder sb, Random r, boolean large) {
    int kind = r.nextInt(10);
    if (kind == 0) return false; // empty, unquoted: null to the engine
    if (kind == 1) {
      sb.append("\"\""); // empty, quoted: the empty string
      return false;
    }
    int length = r.nextInt(20) == 0 ? r.nextInt(large ? 5000 : 300) : 1 + r.nextInt(8);
    boolean quoted = r.nextInt(3) == 0;
    if (quoted) {
      sb.append('"');
      boolean loneCr = false; // a CR not followed by LF, that FastCSV pairs with the next LF
      String previous = "";
      for (int i = 0; i < length; i++) {
        String atom = r.nextInt(5) == 0 ? SPECIALS[r.nextInt(SPECIALS.length)] : ATOMS[r.nextInt(ATOMS.length)];
        if (atom.equals("\n") && loneCr && !previous.equals("\r")) atom = "\r\n"; // FastCSV bug, see above
        sb.append(atom.equals("\"") ? "\"\"" : atom);
        if (atom.equals("\r")) {
          loneCr = true;
        } else if (atom.equals("\n") || atom.equals("\r\n") || atom.equals("\"")) {
          loneCr = false;
        }
        previous = atom;
      }
      sb.append('"');
      // lenient but documented, and FastCSV agrees: text after the closing quote, quote-free
      if (r.nextInt(30) == 0) sb.append(ATOMS[r.nextInt(ATOMS.length)]);
      return loneCr;
    }
    for (int i = 0; i < length; i++) {
      // a quote, but never first (that would make the field quoted): an ordinary char
      sb.append(i > 0 && r.nextInt(40) == 0 ? "\"" : ATOMS[r.nextInt(ATOMS.length)]);
    }
    return false;
  }

  // ---- helpers ----

  /** A Random for {@code seed}; spread first, as new Random(1), new Random(2)... start alike. */
  static Random random(long seed) {
    return new Random(seed * 0x9E3779B97F4A7C15L);
  }

  private static Rec rec(long line, String... unquoted) {
    List<Field> fields = new ArrayList<>();
    for (String f : unquoted) fields.add(new Field(f, false));
    return new Rec(line, false, fields, null);
  }

  private static Rec blank(long line) {
    return new Rec(line, true, List.of(new Field("", false)), null);
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static String escape(String s) {
    return s.replace("\r", "\\r").replace("\n", "\\n").replace("\uFEFF", "\\uFEFF");
  }

  /** The file's text for a failure message, its middle cut if long. */
  private static String excerpt(Path file) throws IOException {
    String text = Files.readString(file, StandardCharsets.UTF_8);
    String shown = text.length() <= 2000 ? text
        : text.substring(0, 1000) + "\n[...]\n" + text.substring(text.length() - 1000);
    return "file (" + Files.size(file) + " bytes): " + escape(shown);
  }
}
