package io.sabot.error;

import java.util.List;

/**
 * The user's job is wrong: thrown before any data is read. Every problem found in one pass is
 * listed, each naming the operator and the column or parameter, and what exists instead.
 */
public class InvalidJobException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final List<String> problems;

  public InvalidJobException(String problem) {
    this(List.of(problem));
  }

  public InvalidJobException(List<String> problems) {
    super(format(problems));
    this.problems = List.copyOf(problems);
  }

  /** Each problem, without the "Invalid job: " prefix. */
  public List<String> problems() {
    return problems;
  }

  private static String format(List<String> problems) {
    if (problems.size() == 1) return "Invalid job: " + problems.get(0);
    StringBuilder sb = new StringBuilder("Invalid job: ").append(problems.size()).append(" problems");
    for (String p : problems) sb.append("\n  - ").append(p);
    return sb.toString();
  }
}
