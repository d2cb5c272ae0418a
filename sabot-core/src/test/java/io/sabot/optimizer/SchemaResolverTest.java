package io.sabot.optimizer;

import static io.sabot.optimizer.Plans.job;
import static io.sabot.optimizer.Plans.op;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.sabot.connect.SourceCatalog;
import io.sabot.error.InvalidJobException;
import io.sabot.graph.JobGraph;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What the schema resolver (behind the optimizer and explain) derives and refuses. */
class SchemaResolverTest {
  @Test
  void shouldDeriveEveryOperatorsSchemaWithoutLowering() {
    JobGraph g = job(Plans.QUOTES + Plans.SECURITIES
        + op("f", "FILTER", "{column: price, operator: '>', value: 100}")
        + op("j", "HASH_JOIN", "{left_key: instrumentId, right_key: ID}")
        + op("s", "SELECT", "{columns: [instrumentId, {NAME: name}]}")
        + op("out", "SINK", "{discard: true}"),
        "[quotes, f]", "[f, j]", "[securities, j]", "[j, s]", "[s, out]");
    var schemas = new SchemaResolver(new SourceCatalog()).resolve(g);
    assertEquals(List.of("instrumentId", "name"), schemas.get("out").names());
    assertEquals(schemas.get("quotes").names(), schemas.get("f").names());
  }

  /** explain resolves schemas only: a bad sink must still be refused there, as run refuses it. */
  @Test
  void shouldRefuseABadSinkAsRunDoes() {
    JobGraph g = job(Plans.QUOTES + op("out", "SINK", "{path: out.csv, mode: sideways}"),
        "[quotes, out]");
    InvalidJobException e = assertThrows(InvalidJobException.class,
        () -> new SchemaResolver(new SourceCatalog()).resolve(g));
    assertEquals(List.of("operator=out parameter=mode value=sideways is not supported; use "
        + "overwrite, append or fail_if_exists"), e.problems());
  }
}
