package io.sabot.physical;

/**
 * A bound condition, evaluated a batch at a time over selection vectors.
 *
 * <p>{@code in[0..nIn)} are candidate frame positions (ascending); the filter writes those for
 * which the condition is true to {@code out} (ascending) and returns how many. {@code in} and
 * {@code out} may be the same array. A condition on a null value is false.
 */
public interface RowFilter {
  int select(Frame frame, int[] in, int nIn, int[] out, Scratch scratch);
}
