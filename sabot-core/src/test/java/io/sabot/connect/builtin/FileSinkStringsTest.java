package io.sabot.connect.builtin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.sabot.connect.Connectors;
import io.sabot.connect.SinkContext;
import io.sabot.connect.arrow.ArrowIpcSink;
import io.sabot.connect.file.FileFormat;
import io.sabot.error.InvalidJobException;
import io.sabot.graph.OperatorType;
import io.sabot.graph.SinkSpec;
import io.sabot.graph.StreamOperatorNode;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A file sink's {@code strings: plain | dictionary}: dictionary-encoded reference strings, arrow only. */
class FileSinkStringsTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;

  private static StreamOperatorNode sink(Object... keyValues) {
    Map<String, Object> p = new LinkedHashMap<>();
    for (int i = 0; i < keyValues.length; i += 2) p.put((String) keyValues[i], keyValues[i + 1]);
    return new StreamOperatorNode(OperatorType.SINK, "out", p);
  }

  private List<String> problems(StreamOperatorNode node) {
    return assertThrows(InvalidJobException.class, () -> Connectors.sink(node, dir)).problems();
  }

  @Test
  void shouldAskForDictionaryStringsOnlyWhenAnArrowFileSaysSo() throws Exception {
    try (var dictionary = Connectors.sink(sink("path", "o.arrow", "strings", "dictionary"), dir);
         var byFormat = Connectors.sink(sink("path", "o.bin", "format", "arrow", "strings", "Dictionary"), dir);
         var plain = Connectors.sink(sink("path", "o.arrow", "strings", "plain"), dir);
         var byDefault = Connectors.sink(sink("path", "o.arrow"), dir)) {
      assertTrue(assertInstanceOf(ArrowIpcSink.class, dictionary).readsDictionaryStrings());
      assertTrue(byFormat.readsDictionaryStrings());
      assertFalse(plain.readsDictionaryStrings());
      assertFalse(byDefault.readsDictionaryStrings());
    }
  }

  @Test
  void shouldRefuseDictionaryStringsForATextFile() {
    assertEquals(List.of("operator=out parameter=strings value=dictionary is only used with format: "
        + "arrow (only an Arrow file holds dictionaries), and this sink writes csv; remove strings, "
        + "or write an arrow file"), problems(sink("path", "o.csv", "strings", "dictionary")));
    assertEquals(List.of("operator=out parameter=strings value=dictionary is only used with format: "
        + "arrow (only an Arrow file holds dictionaries), and this sink writes jsonl; remove strings, "
        + "or write an arrow file"),
        problems(sink("path", "o.arrow", "format", "jsonl", "strings", "dictionary")));
    Connectors.sink(sink("path", "o.csv", "strings", "plain"), dir);
    assertEquals(List.of("operator=out parameter=format value=xml is not supported; use csv, jsonl or "
        + "arrow, or discard"), problems(sink("path", "o.csv", "format", "xml", "strings", "dictionary")),
        "a bad format is the one problem, not the extension's format");
  }

  @Test
  void shouldRefuseAStringsValueThatIsNeitherPlainNorDictionary() {
    assertEquals(List.of("operator=out parameter=strings value=foo is not supported; use plain or "
        + "dictionary"), problems(sink("path", "o.arrow", "strings", "foo")));
  }

  @Test
  void shouldRefuseStringsOnASinkThatIsNotAFile() {
    assertEquals(List.of("operator=out parameter=strings is not a parameter of a stdout sink; "
        + "accepted: stdout, format, limit"), problems(sink("stdout", true, "strings", "dictionary")));
  }

  @Test
  void shouldRefuseASpecBuiltInCodeThatAsksACsvFileForDictionaries() {
    FileSinkSpec spec = new FileSinkSpec("o.csv", FileFormat.CSV, null, false, true);
    InvalidJobException e = assertThrows(InvalidJobException.class, () -> new FileSinkConnector()
        .open("out", spec, new SinkContext(dir, null, null, System.out)));
    assertEquals(List.of("operator=out parameter=strings value=dictionary is only used with format: "
        + "arrow (only an Arrow file holds dictionaries), and this sink writes csv; remove strings, "
        + "or write an arrow file"), e.problems());
  }

  @Test
  void shouldRoundTripTheSpecThroughJson() throws Exception {
    for (boolean dictionary : List.of(false, true)) {
      StreamOperatorNode node = dictionary ? sink("path", "o.arrow", "strings", "dictionary")
          : sink("path", "o.arrow");
      SinkSpec spec = node.spec(SinkSpec.class);
      assertEquals(new SinkSpec(new FileSinkSpec("o.arrow", null, null, false, dictionary)), spec);
      String json = JSON.writeValueAsString(spec.toParameters());
      assertEquals("{\"path\":\"o.arrow\",\"delivery\":\"at_least_once\""
          + (dictionary ? ",\"strings\":\"dictionary\"" : "") + "}", json);
      @SuppressWarnings("unchecked")
      Map<String, Object> back = JSON.readValue(json, LinkedHashMap.class);
      assertEquals(spec, new StreamOperatorNode(OperatorType.SINK, "out", back).spec());
    }
  }
}
