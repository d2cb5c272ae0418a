package io.sabot.differential;

import java.util.List;
import java.util.Random;

/**
 * The values the generator draws for a column. Join keys of both sides share a domain (the
 * reference side's widened a little so that there are misses on both sides), and filter literals
 * come from the domain of the column they are compared with, so that conditions both keep and
 * drop rows.
 */
sealed interface Domain {
  /** A value for a row (never null; nulls are decided by the caller). */
  Object draw(Random r);

  /** A literal to compare this domain's values with, sometimes just outside the domain. */
  Object literal(Random r);

  /** Integers {@code base .. base+span-1}, boxed as Integer for int32 columns, Long for int64. */
  record Ints(long base, int span, boolean int32) implements Domain {
    @Override
    public Object draw(Random r) {
      return box(base + r.nextInt(span));
    }

    @Override
    public Object literal(Random r) {
      long v = base - 1 + r.nextInt(span + 2);
      int kind = r.nextInt(10);
      // A fractional literal on an integer column is a plan error (docs/job-file.md), never drawn.
      if (kind <= 1) return (double) v;       // integral double: still exact
      return v >= Integer.MIN_VALUE && v <= Integer.MAX_VALUE ? (Object) (int) v : (Object) v;
    }

    Object box(long v) {
      return int32 ? (Object) (int) v : (Object) v;
    }

    boolean fitsInt32() {
      return base >= Integer.MIN_VALUE && base + span <= Integer.MAX_VALUE;
    }

    /** The same values (and a few more on each side), in the given width. */
    Ints widened(int extra, boolean asInt32) {
      return new Ints(base - extra, span + 2 * extra, asInt32);
    }
  }

  /** Doubles from a fixed set. */
  record Doubles(List<Double> values) implements Domain {
    @Override
    public Object draw(Random r) {
      return values.get(r.nextInt(values.size()));
    }

    @Override
    public Object literal(Random r) {
      int kind = r.nextInt(8);
      if (kind == 0) return r.nextInt(5) - 1;  // an integer literal on a float64 column
      if (kind == 1) return values.get(r.nextInt(values.size())) + 0.125;
      return values.get(r.nextInt(values.size()));
    }
  }

  /** Strings from a fixed set (ASCII; the empty string and blanks at either end included). */
  record Strings(List<String> values) implements Domain {
    @Override
    public Object draw(Random r) {
      return values.get(r.nextInt(values.size()));
    }

    /** Number-like strings ("10") included: the job file must keep them strings. */
    @Override
    public Object literal(Random r) {
      String s = values.get(r.nextInt(values.size()));
      return r.nextInt(8) == 0 ? s + "0" : s;
    }

    Strings widened(Random r) {
      List<String> more = new java.util.ArrayList<>(values);
      more.add(values.get(r.nextInt(values.size())) + "x");
      return new Strings(more);
    }
  }

  /** true and false. */
  record Bools() implements Domain {
    @Override
    public Object draw(Random r) {
      return r.nextBoolean();
    }

    @Override
    public Object literal(Random r) {
      return r.nextBoolean();
    }
  }
}
