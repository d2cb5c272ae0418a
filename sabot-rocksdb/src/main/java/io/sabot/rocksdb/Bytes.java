package io.sabot.rocksdb;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;
import org.apache.arrow.memory.ArrowBuf;

/**
 * A growable byte array written front to back, reused from row to row and batch to batch (so
 * encoding a row allocates nothing), and the readers of what it writes. Fixed-width values are
 * little-endian; lengths and row numbers are unsigned LEB128 varints.
 */
final class Bytes {
  private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class,
      ByteOrder.LITTLE_ENDIAN);
  private static final VarHandle LONG_BE = MethodHandles.byteArrayViewVarHandle(long[].class,
      ByteOrder.BIG_ENDIAN);
  private static final VarHandle INT = MethodHandles.byteArrayViewVarHandle(int[].class,
      ByteOrder.LITTLE_ENDIAN);

  byte[] buf;
  int pos;

  Bytes(int capacity) {
    buf = new byte[capacity];
  }

  void ensure(int more) {
    if (pos + more > buf.length) buf = Arrays.copyOf(buf, Math.max(buf.length * 2, pos + more));
  }

  void put(byte b) {
    ensure(1);
    buf[pos++] = b;
  }

  void putInt(int v) {
    ensure(4);
    INT.set(buf, pos, v);
    pos += 4;
  }

  void putLong(long v) {
    ensure(8);
    LONG.set(buf, pos, v);
    pos += 8;
  }

  /** Big-endian: the order RocksDB compares keys in. */
  void putLongBigEndian(long v) {
    ensure(8);
    LONG_BE.set(buf, pos, v);
    pos += 8;
  }

  void putVarint(long v) {
    ensure(10);
    while ((v & ~0x7FL) != 0) {
      buf[pos++] = (byte) ((v & 0x7F) | 0x80);
      v >>>= 7;
    }
    buf[pos++] = (byte) v;
  }

  void put(byte[] src, int from, int len) {
    ensure(len);
    System.arraycopy(src, from, buf, pos, len);
    pos += len;
  }

  void put(ArrowBuf src, long from, int len) {
    ensure(len);
    src.getBytes(from, buf, pos, len);
    pos += len;
  }

  static int getInt(byte[] b, int at) {
    return (int) INT.get(b, at);
  }

  static long getLong(byte[] b, int at) {
    return (long) LONG.get(b, at);
  }

  static long getLongBigEndian(byte[] b, int at) {
    return (long) LONG_BE.get(b, at);
  }

  /** Reads a varint at {@code at[0]} and moves {@code at[0]} past it. */
  static long getVarint(byte[] b, int[] at) {
    long v = 0;
    int shift = 0;
    int p = at[0];
    while (true) {
      byte x = b[p++];
      v |= (long) (x & 0x7F) << shift;
      if (x >= 0) break;
      shift += 7;
    }
    at[0] = p;
    return v;
  }
}
