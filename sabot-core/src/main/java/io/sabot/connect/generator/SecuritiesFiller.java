package io.sabot.connect.generator;

import io.sabot.types.Schema;
import java.nio.charset.StandardCharsets;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;

/**
 * The securities of docs/workload.md, row i: ID = i, CUSIP = {@code %09d} of
 * (i * 7919) mod 10^9, NAME = "SEC" + i, SECTOR = SECTORS[i % 11], EXCHANGE = one of five by
 * i % 5, STATUS = INACTIVE every tenth row else ACTIVE, DESCRIPTION = "Security number i of the
 * reference master", Fk = i * 0.5 + k. Strings are formatted into one reused byte array.
 */
final class SecuritiesFiller implements WorkloadFiller {
  static final String[] SECTORS = {"Technology", "Financials", "Health Care", "Energy",
      "Industrials", "Utilities", "Materials", "Real Estate", "Consumer Staples",
      "Consumer Discretionary", "Communication Services"};
  static final String[] EXCHANGES = {"NYSE", "NASDAQ", "LSE", "XETRA", "TSE"};

  private static final byte[][] SECTOR_BYTES = ascii(SECTORS);
  private static final byte[][] EXCHANGE_BYTES = ascii(EXCHANGES);
  private static final byte[] ACTIVE = ascii("ACTIVE");
  private static final byte[] INACTIVE = ascii("INACTIVE");
  private static final byte[] SEC = ascii("SEC");
  private static final byte[] DESCRIPTION_HEAD = ascii("Security number ");
  private static final byte[] DESCRIPTION_TAIL = ascii(" of the reference master");

  private final int[] columns = new int[15]; // ID, CUSIP, NAME, SECTOR, EXCHANGE, STATUS, DESCRIPTION, F0..F7
  private final byte[] scratch = new byte[64];
  private long next;

  SecuritiesFiller(Schema projected) {
    Schema all = GeneratorSource.Kind.SECURITIES.schema();
    for (int c = 0; c < columns.length; c++) columns[c] = projected.indexOf(all.field(c).name());
  }

  @Override
  public void fill(VectorSchemaRoot batch, int count) {
    BigIntVector id = columns[0] < 0 ? null : (BigIntVector) batch.getVector(columns[0]);
    VarCharVector[] text = new VarCharVector[6];
    for (int c = 0; c < 6; c++) text[c] = columns[c + 1] < 0 ? null : (VarCharVector) batch.getVector(columns[c + 1]);
    Float8Vector[] f = new Float8Vector[8];
    for (int k = 0; k < 8; k++) f[k] = columns[k + 7] < 0 ? null : (Float8Vector) batch.getVector(columns[k + 7]);
    for (int row = 0; row < count; row++) {
      long i = next++;
      if (id != null) id.set(row, i);
      if (text[0] != null) text[0].setSafe(row, scratch, 0, zeroPadded9((i * 7919L) % 1_000_000_000L));
      if (text[1] != null) {
        int n = put(SEC, 0);
        text[1].setSafe(row, scratch, 0, putLong(i, n));
      }
      if (text[2] != null) text[2].setSafe(row, SECTOR_BYTES[(int) (i % 11)]);
      if (text[3] != null) text[3].setSafe(row, EXCHANGE_BYTES[(int) (i % 5)]);
      if (text[4] != null) text[4].setSafe(row, i % 10 == 0 ? INACTIVE : ACTIVE);
      if (text[5] != null) {
        int n = putLong(i, put(DESCRIPTION_HEAD, 0));
        text[5].setSafe(row, scratch, 0, put(DESCRIPTION_TAIL, n));
      }
      for (int k = 0; k < 8; k++) {
        if (f[k] != null) f[k].set(row, i * 0.5 + k);
      }
    }
  }

  /** {@code String.format("%09d", v)} for 0 <= v < 10^9, into scratch; returns the length. */
  private int zeroPadded9(long v) {
    for (int p = 8; p >= 0; p--) {
      scratch[p] = (byte) ('0' + v % 10);
      v /= 10;
    }
    return 9;
  }

  /** Writes the decimal digits of v >= 0 at scratch[at]; returns the end. */
  private int putLong(long v, int at) {
    int digits = 1;
    for (long x = v; x >= 10; x /= 10) digits++;
    for (long x = v, p = at + digits - 1; p >= at; p--, x /= 10) scratch[(int) p] = (byte) ('0' + x % 10);
    return at + digits;
  }

  private int put(byte[] bytes, int at) {
    System.arraycopy(bytes, 0, scratch, at, bytes.length);
    return at + bytes.length;
  }

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }

  private static byte[][] ascii(String[] s) {
    byte[][] out = new byte[s.length][];
    for (int i = 0; i < s.length; i++) out[i] = ascii(s[i]);
    return out;
  }
}
