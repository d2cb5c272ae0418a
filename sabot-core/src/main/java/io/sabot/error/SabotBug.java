package io.sabot.error;

/** A broken invariant inside Sabot, never the user's fault. */
public class SabotBug extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public SabotBug(String message) {
    super("Internal error: " + message + "; this is a bug in Sabot; please report it");
  }

  public SabotBug(String message, Throwable cause) {
    super("Internal error: " + message + "; this is a bug in Sabot; please report it", cause);
  }
}
