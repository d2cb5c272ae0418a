package io.sabot.error;

/** Running the job failed: "Execution failed in operator X, partition P: ...". */
public class JobExecutionException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final String operator;

  public JobExecutionException(String operator, String partition, String message, Throwable cause) {
    super("Execution failed in operator " + operator
        + (partition == null ? "" : ", partition " + partition) + ": " + message, cause);
    this.operator = operator;
  }

  public JobExecutionException(String operator, String partition, String message) {
    this(operator, partition, message, null);
  }

  public String operator() {
    return operator;
  }
}
