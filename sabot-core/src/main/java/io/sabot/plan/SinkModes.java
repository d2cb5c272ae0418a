package io.sabot.plan;

import io.sabot.connect.Connectors;
import io.sabot.connect.Source;
import io.sabot.connect.WriteMode;
import io.sabot.error.InvalidJobException;
import io.sabot.graph.StreamOperatorNode;

/**
 * Which {@link WriteMode} a file sink gets, and which modes its stream source rules out. A source
 * that resumes from committed positions reads only what earlier runs did not: its sink must
 * append, or a rerun would replace the rows of earlier runs with only the new ones (or with
 * nothing). A source that never ends can only be stopped, and a replacing sink publishes only
 * when its input ends.
 */
final class SinkModes {
  private SinkModes() {}

  static WriteMode defaultMode(Source stream) {
    return stream.resumesFromCommittedPositions() ? WriteMode.APPEND : WriteMode.OVERWRITE;
  }

  /**
   * Fails when the sink's explicit mode loses or never publishes rows with this source, or when it
   * asks for exactly-once from a source that cannot start where the file's rows end.
   */
  static void check(StreamOperatorNode sink, Source stream, StreamOperatorNode sourceNode) {
    if (sink.parameter("path") == null) return;
    WriteMode mode;
    boolean exactlyOnce;
    try {
      mode = Connectors.writeMode(sink, null);
      exactlyOnce = Connectors.exactlyOnce(sink);
    } catch (InvalidJobException e) {
      return; // reported again, with the sink's other problems, when the sink is built
    }
    if (exactlyOnce && !stream.resumesFromCommittedPositions()) {
      throw new InvalidJobException("operator=" + sink.name() + " parameter=delivery "
          + "value=exactly_once: source " + sourceNode.name() + " (" + stream.describe() + ") does "
          + "not resume from positions, so a rerun reads its input again and its rows would be "
          + "written again; exactly_once needs a topic read with start: committed");
    }
    if (mode == null || mode == WriteMode.APPEND) return;
    String where = "operator=" + sink.name() + " parameter=mode value=" + mode.text() + ": ";
    if (stream.resumesFromCommittedPositions()) {
      throw new InvalidJobException(where + "source " + sourceNode.name() + " ("
          + stream.describe() + ") resumes from its committed positions, so each run reads only "
          + "new records and replacing the file would lose the rows of earlier runs; use mode: "
          + "append (the default for this source), or have the source re-read from the start");
    }
    if (!stream.isBounded()) {
      throw new InvalidJobException(where + "source " + sourceNode.name() + " ("
          + stream.describe() + ") never ends, and a file in this mode appears only when the "
          + "input ends; use mode: append, or make the source bounded");
    }
  }
}
