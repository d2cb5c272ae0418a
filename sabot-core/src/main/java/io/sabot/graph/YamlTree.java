package io.sabot.graph;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.core.ObjectCodec;
import com.fasterxml.jackson.core.io.IOContext;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import io.sabot.error.InvalidJobException;
import java.io.IOException;
import java.io.Reader;
import java.util.HashMap;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.events.ScalarEvent;

/**
 * Reads YAML (or JSON) into a Jackson tree with anchors and aliases expanded. Jackson's own
 * {@code readTree} keeps an alias as the plain string of its name ({@code schema: *s} reads as
 * {@code "s"}), so this walks the parser's tokens itself: a value carrying an anchor
 * ({@code &s}) is remembered once it is complete, and an alias ({@code *s}) is replaced by a copy.
 *
 * <pre>
 *   x-schema: &s {id: int64}          anchors: s ─► {id: int64}   (3 values)
 *   ... schema: *s                    copy of {id: int64}; expanded += 3
 * </pre>
 *
 * Every copy counts the values it adds; past {@link #MAX_EXPANDED_VALUES} the file is refused, so
 * an alias bomb ("billion laughs": each level aliases the one before ten times) fails after a few
 * thousand copies instead of filling the memory. An alias to an anchor that is not complete yet
 * (a value that contains itself) is refused too.
 */
final class YamlTree {
  /** Values that aliases may add to a job file; a real job needs a few hundred. */
  static final int MAX_EXPANDED_VALUES = 100_000;

  private final ObjectMapper mapper;
  private final String origin;
  private final Map<String, JsonNode> anchors = new HashMap<>();
  private final Map<String, Integer> sizes = new HashMap<>();
  private long expanded;

  private YamlTree(ObjectMapper mapper, String origin) {
    this.mapper = mapper;
    this.origin = origin;
  }

  /**
   * The first document of {@code text}, or null when there is none. {@code mapper} reads the
   * scalars, so numbers, booleans and nulls come out exactly as its {@code readTree} makes them.
   */
  static JsonNode read(ObjectMapper mapper, String text, String origin) throws IOException {
    try (JsonParser p = ANCHORS.createParser(text)) {
      JsonToken t = p.nextToken();
      return t == null ? null : new YamlTree(mapper, origin).value(p, t);
    }
  }

  private JsonNode value(JsonParser p, JsonToken t) throws IOException {
    if (t == JsonToken.VALUE_STRING && ((YAMLParser) p).isCurrentAlias()) {
      return alias(p, p.getText());
    }
    // Jackson reports the anchor of a map or list, but drops a scalar's: AnchorParser keeps it
    Object anchor = t.isScalarValue() ? ((AnchorParser) p).scalarAnchor : p.getObjectId();
    JsonNode node;
    if (t == JsonToken.START_OBJECT) {
      ObjectNode object = JsonNodeFactory.instance.objectNode();
      for (JsonToken k = p.nextToken(); k != JsonToken.END_OBJECT; k = p.nextToken()) {
        String key = p.currentName();
        object.set(key, value(p, p.nextToken()));
      }
      node = object;
    } else if (t == JsonToken.START_ARRAY) {
      ArrayNode array = JsonNodeFactory.instance.arrayNode();
      for (JsonToken e = p.nextToken(); e != JsonToken.END_ARRAY; e = p.nextToken()) {
        array.add(value(p, e));
      }
      node = array;
    } else {
      node = mapper.readTree(p); // a scalar: numbers, booleans and nulls exactly as readTree reads them
    }
    if (anchor != null) {
      anchors.put(anchor.toString(), node);
      sizes.put(anchor.toString(), size(node));
    }
    return node;
  }

  private JsonNode alias(JsonParser p, String name) {
    JsonNode target = anchors.get(name);
    if (target == null) {
      throw new InvalidJobException("job file " + origin + ": alias=*" + name + " refers to no "
          + "complete anchor &" + name + " before it" + at(p.currentTokenLocation()));
    }
    expanded += sizes.get(name);
    if (expanded > MAX_EXPANDED_VALUES) {
      throw new InvalidJobException("job file " + origin + ": YAML aliases expand to more than "
          + MAX_EXPANDED_VALUES + " values (alias=*" + name + at(p.currentTokenLocation())
          + "); refused as a likely alias bomb; write such a file without aliases");
    }
    return target.deepCopy();
  }

  private static final YAMLFactory ANCHORS = new YAMLFactory() {
    @Override
    protected YAMLParser _createParser(Reader r, IOContext ctxt) {
      return new AnchorParser(ctxt, _parserFeatures, _yamlParserFeatures, _loaderOptions,
          _objectCodec, r);
    }
  };

  /** A YAMLParser that remembers the anchor of the scalar it just read. */
  private static final class AnchorParser extends YAMLParser {
    String scalarAnchor;

    AnchorParser(IOContext ctxt, int parserFeatures, int yamlFeatures, LoaderOptions options,
                 ObjectCodec codec, Reader reader) {
      super(ctxt, parserFeatures, yamlFeatures, options, codec, reader);
    }

    @Override
    protected JsonToken _decodeScalar(ScalarEvent scalar) throws IOException {
      scalarAnchor = scalar.getAnchor();
      return super._decodeScalar(scalar);
    }
  }

  private static int size(JsonNode node) {
    int n = 1;
    for (JsonNode child : node) n += size(child);
    return n;
  }

  private static String at(JsonLocation l) {
    return l == null ? "" : " at line " + l.getLineNr() + ", column " + l.getColumnNr();
  }
}
