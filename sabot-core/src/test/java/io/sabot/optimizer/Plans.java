package io.sabot.optimizer;

import io.sabot.graph.JobFile;
import io.sabot.graph.JobGraph;

/** Small job graphs over the workload generator, written as job-file text, for rule tests. */
public final class Plans {
  private Plans() {}

  public static final String QUOTES =
      "  - {name: quotes, type: SOURCE, parameters: {generator: quotes, rows: 2000, reference_rows: 100}}\n";
  public static final String SECURITIES =
      "  - {name: securities, type: SOURCE, parameters: {generator: securities, rows: 100}}\n";

  /** A job from operator lines and connections, e.g. {@code job(QUOTES + ..., "[quotes, out]")}. */
  public static JobGraph job(String operators, String... connections) {
    return JobFile.parse("job_name: t\noperators:\n" + operators + "connect:\n"
        + String.join("", java.util.Arrays.stream(connections).map(c -> "  - " + c + "\n")
            .toArray(String[]::new)), "test");
  }

  public static String op(String name, String type, String params) {
    return "  - {name: " + name + ", type: " + type + ", parameters: " + params + "}\n";
  }
}
