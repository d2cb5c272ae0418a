package io.sabot.graph;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import io.sabot.error.InvalidJobException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads and writes the job file of DESIGN.md (YAML or JSON; JSON is YAML, so one reader serves
 * both). The file is the contract the CLI, agents and tests share:
 *
 * <pre>
 * job_name: stream_enrichment
 * operators:
 *   - {name: load_quotes, type: SOURCE, parameters: {path: quotes.csv, format: csv}}
 *   ...
 * connect:
 *   - [load_quotes, filter_quotes]
 * </pre>
 *
 * YAML anchors and aliases are expanded (with a limit, see {@link YamlTree}); top-level keys that
 * start with {@code x-} are ignored, so a value shared by several operators can be written once:
 *
 * <pre>
 * x-quote-schema: &amp;quote {instrumentId: int64, price: float64}
 * operators:
 *   - {name: a, type: SOURCE, parameters: {path: a.csv, schema: *quote}}
 *   - {name: b, type: SOURCE, parameters: {path: b.csv, schema: *quote}}
 * </pre>
 *
 * Structural mistakes (missing keys, unknown operator types) are reported all at once as an
 * {@link InvalidJobException}.
 */
public final class JobFile {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory()
      .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
      .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
      // "10" must stay a string: unquoted it would read back as the number 10
      .enable(YAMLGenerator.Feature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS));
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  /** Which syntax to write. */
  public enum Format { YAML, JSON }

  private JobFile() {}

  /** Loads a job file; relative paths in it will resolve against the file's folder. */
  public static JobGraph load(Path file) {
    String text;
    try {
      text = Files.readString(file);
    } catch (IOException e) {
      throw new InvalidJobException("cannot read job file " + file.toAbsolutePath() + ": " + e);
    }
    JobGraph graph = parse(text, file.toString());
    Path folder = file.toAbsolutePath().getParent();
    graph.setBaseDirectory(folder);
    return graph;
  }

  /** Parses YAML or JSON text. {@code origin} names the text in messages. */
  public static JobGraph parse(String text, String origin) {
    JsonNode root;
    try {
      root = YamlTree.read(YAML, text, origin);
    } catch (JsonProcessingException e) {
      throw new InvalidJobException("job file " + origin + " is not valid YAML or JSON: "
          + e.getOriginalMessage() + locationOf(e));
    } catch (IOException e) {
      throw new UncheckedIOException(e); // reading a String: only the parser's own errors above
    }
    if (root == null || !root.isObject()) {
      throw new InvalidJobException("job file " + origin
          + " must be a map with job_name, operators and connect");
    }
    List<String> problems = new ArrayList<>();
    ObjectNode known = ((ObjectNode) root).deepCopy();
    known.remove(extensionKeys(root));
    checkKeys(known, List.of("job_name", "operators", "connect"), "the job file", problems);
    String jobName = root.path("job_name").asText("");
    if (jobName.isBlank()) problems.add("job file " + origin + " has no job_name");
    JobGraph graph = new JobGraph(jobName.isBlank() ? "unnamed" : jobName);
    JsonNode ops = root.path("operators");
    if (!ops.isArray() || ops.isEmpty()) {
      problems.add("job file " + origin + " has no operators list");
    } else {
      int i = 0;
      for (JsonNode op : ops) {
        readOperator(op, i++, graph, problems);
      }
    }
    JsonNode connect = root.path("connect");
    if (!connect.isMissingNode() && !connect.isNull()) {
      if (!connect.isArray()) {
        problems.add("connect must be a list of [upstream, downstream] pairs");
      } else {
        for (JsonNode pair : connect) {
          if (!pair.isArray() || pair.size() != 2 || !pair.get(0).isTextual()
              || !pair.get(1).isTextual()) {
            problems.add("connect entry " + pair + " must be a pair [upstream, downstream] of "
                + "operator names");
          } else {
            graph.connect(pair.get(0).asText(), pair.get(1).asText());
          }
        }
      }
    }
    if (!problems.isEmpty()) throw new InvalidJobException(problems);
    return graph;
  }

  private static void readOperator(JsonNode op, int index, JobGraph graph, List<String> problems) {
    if (!op.isObject()) {
      problems.add("operators[" + index + "] must be a map with name, type and parameters");
      return;
    }
    checkKeys(op, List.of("name", "type", "parameters"), "operators[" + index + "]", problems);
    String name = op.path("name").asText("");
    String where = name.isBlank() ? "operators[" + index + "]" : "operator " + name;
    if (name.isBlank()) problems.add("operators[" + index + "] has no name");
    OperatorType type = null;
    if (!op.path("type").isTextual()) {
      problems.add(where + " has no type; use SOURCE, FILTER, SELECT, HASH_JOIN or SINK");
    } else {
      try {
        type = OperatorType.parse(op.path("type").asText());
      } catch (IllegalArgumentException e) {
        problems.add(where + ": " + e.getMessage());
      }
    }
    JsonNode params = op.path("parameters");
    if (!params.isMissingNode() && !params.isNull() && !params.isObject()) {
      problems.add(where + ": parameters must be a map");
      return;
    }
    if (name.isBlank() || type == null) return;
    Map<String, Object> parameters = params.isObject() ? toMap(params) : new LinkedHashMap<>();
    try {
      graph.addOperator(new StreamOperatorNode(type, name, parameters));
    } catch (InvalidJobException e) {
      problems.addAll(e.problems());
    }
  }

  /** Top-level keys starting with x- are the user's own (a place for anchors, as in Compose files). */
  private static List<String> extensionKeys(JsonNode root) {
    List<String> keys = new ArrayList<>();
    for (Iterator<String> it = root.fieldNames(); it.hasNext(); ) {
      String key = it.next();
      if (key.startsWith("x-")) keys.add(key);
    }
    return keys;
  }

  private static void checkKeys(JsonNode node, List<String> allowed, String where,
                                List<String> problems) {
    for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
      String key = it.next();
      if (!allowed.contains(key)) {
        problems.add(where + " has unknown key '" + key + "'; known keys: "
            + String.join(", ", allowed));
      }
    }
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> toMap(JsonNode node) {
    return JSON.convertValue(node, LinkedHashMap.class);
  }

  private static String locationOf(JsonProcessingException e) {
    return e.getLocation() == null ? ""
        : " (line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")";
  }

  /** The job as text in the given syntax; {@link #parse} reads it back to an equal graph. */
  public static String write(JobGraph graph, Format format) {
    ObjectNode root = JSON.createObjectNode();
    root.put("job_name", graph.jobName());
    ArrayNode ops = root.putArray("operators");
    for (StreamOperatorNode node : graph.operators()) {
      ObjectNode op = ops.addObject();
      op.put("name", node.name());
      op.put("type", node.operatorType().name());
      op.set("parameters", JSON.valueToTree(node.parameters()));
    }
    ArrayNode connect = root.putArray("connect");
    for (JobGraph.Edge e : graph.edges()) connect.addArray().add(e.from()).add(e.to());
    try {
      return (format == Format.JSON ? JSON : YAML).writeValueAsString(root);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Writes the job; the syntax follows the extension (.json is JSON, anything else YAML). */
  public static void save(JobGraph graph, Path file) throws IOException {
    String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
    Files.writeString(file, write(graph, name.endsWith(".json") ? Format.JSON : Format.YAML));
  }
}
