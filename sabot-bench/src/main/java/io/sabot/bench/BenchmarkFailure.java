package io.sabot.bench;

/** The benchmark cannot give a number: the systems disagree, or a run did something unexpected. */
public final class BenchmarkFailure extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public BenchmarkFailure(String message) {
    super(message);
  }
}
