package io.sabot.graph;

import io.sabot.error.SabotBug;
import java.util.ServiceLoader;

/**
 * Parses a node's parameters into its {@link OperatorSpec}, checking every parameter once and
 * reporting all of an operator's problems together. SOURCE and SINK connectors are read by the
 * {@link ConnectorSpecParser} on the class path.
 */
final class OperatorSpecs {
  private static volatile ConnectorSpecParser connectors;

  private OperatorSpecs() {}

  /** @throws io.sabot.error.InvalidJobException listing every problem of this operator */
  static OperatorSpec parse(StreamOperatorNode node) {
    OperatorParameters p = new OperatorParameters(node);
    OperatorSpec spec;
    switch (node.operatorType()) {
      case FILTER: spec = FilterSpec.parse(node, p); break;
      case SELECT: spec = SelectSpec.parse(p); break;
      case HASH_JOIN: spec = JoinSpec.parse(p); break;
      case SOURCE: {
        ConnectorSpec connector = connectors().parseSource(p);
        SourceSpec source = SourceSpec.parse(connector, p);
        spec = connector == null ? null : source;
        break;
      }
      case SINK: {
        ConnectorSpec connector = connectors().parseSink(p);
        spec = connector == null ? null : new SinkSpec(connector);
        break;
      }
      default: throw new SabotBug("no spec for operator type " + node.operatorType());
    }
    p.check();
    if (spec == null) throw new SabotBug("operator " + node.name() + " has no spec and no problem");
    return spec;
  }

  private static ConnectorSpecParser connectors() {
    ConnectorSpecParser c = connectors;
    if (c == null) {
      c = ServiceLoader.load(ConnectorSpecParser.class, OperatorSpecs.class.getClassLoader())
          .findFirst().orElseThrow(() -> new SabotBug("no " + ConnectorSpecParser.class.getName()
              + " on the class path (sabot-core registers io.sabot.connect.Connectors)"));
      connectors = c;
    }
    return c;
  }
}
