package io.sabot.connect;

import io.sabot.error.InvalidJobException;
import io.sabot.graph.SourceSpec;
import io.sabot.graph.StreamOperatorNode;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * The sources of one job, each created once. Creating a {@link Source} learns its schema (a file
 * header, up to 10,000 CSV rows for type inference, a topic's first record), so everything that
 * plans the job (the schema resolver, the optimizer's rules, explain, lowering) asks this catalog
 * instead of {@link Connectors#source}: a job reads each source's schema once, however many
 * times it is planned.
 *
 * <pre>
 *   SOURCE node (name, SourceSpec, base directory) ──► Connectors.source ──► Source   first ask
 *   the same node again (also in a rewritten plan) ──────────────────────► same Source
 * </pre>
 *
 * A catalog belongs to one job: make a new one for the next job, so a file or topic that changed
 * in between is read again. A source that is invalid is remembered as such, so its problem is
 * reported without asking the connector twice.
 */
public final class SourceCatalog {
  private record Key(String name, SourceSpec spec, Path baseDir) {}

  private final Map<Key, Object> sources = new HashMap<>();

  /** The source {@code node} describes, created on the first call for this node. */
  public synchronized Source source(StreamOperatorNode node, Path baseDir) {
    // The typed spec (a bad parameter throws here, reading nothing): two spellings of the same
    // parameters are one source.
    Key key = new Key(node.name(), node.spec(SourceSpec.class), baseDir.toAbsolutePath().normalize());
    Object known = sources.get(key);
    if (known == null) {
      try {
        known = Connectors.source(node, baseDir);
      } catch (InvalidJobException e) {
        known = e;
      }
      sources.put(key, known);
    }
    if (known instanceof InvalidJobException) {
      throw new InvalidJobException(((InvalidJobException) known).problems());
    }
    return (Source) known;
  }
}
