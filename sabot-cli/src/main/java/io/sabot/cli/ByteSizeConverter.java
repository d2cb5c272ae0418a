package io.sabot.cli;

import java.util.Locale;
import picocli.CommandLine;

/** "512m", "4g", "65536": a byte count with an optional k/m/g suffix (powers of 1024). */
final class ByteSizeConverter implements CommandLine.ITypeConverter<Long> {
  @Override
  public Long convert(String value) {
    String v = value.trim().toLowerCase(Locale.ROOT);
    long unit = 1;
    char last = v.isEmpty() ? ' ' : v.charAt(v.length() - 1);
    if (last == 'k' || last == 'm' || last == 'g') {
      unit = last == 'k' ? 1L << 10 : last == 'm' ? 1L << 20 : 1L << 30;
      v = v.substring(0, v.length() - 1);
    }
    try {
      long n = Long.parseLong(v);
      if (n <= 0) throw new NumberFormatException();
      return n * unit;
    } catch (NumberFormatException e) {
      throw new CommandLine.TypeConversionException("'" + value + "' is not a size; use a number "
          + "of bytes with an optional k, m or g suffix, e.g. 512m");
    }
  }
}
