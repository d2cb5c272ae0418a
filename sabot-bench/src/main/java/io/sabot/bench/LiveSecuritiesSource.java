package io.sabot.bench;

import io.sabot.connect.ChangelogSource;
import io.sabot.connect.ReadContext;
import io.sabot.connect.ReferenceFeed;
import io.sabot.connect.SourcePartition;
import io.sabot.connect.generator.GeneratorSource;
import io.sabot.types.Schema;
import java.io.IOException;
import java.util.List;
import java.util.OptionalLong;

/**
 * {@code live_securities: R}: the workload's R securities as a changelog, so a join keeps them
 * live ({@link LiveSecuritiesFeed}: {@code updates_per_second} updates applied at each poll). As
 * a stream input it reads the generated rows, without updates.
 */
final class LiveSecuritiesSource implements ChangelogSource {
  private final int referenceRows;
  private final long updatesPerSecond;
  private final long deleteEvery;

  LiveSecuritiesSource(int referenceRows, long updatesPerSecond, long deleteEvery) {
    this.referenceRows = referenceRows;
    this.updatesPerSecond = updatesPerSecond;
    this.deleteEvery = deleteEvery;
  }

  @Override
  public ReferenceFeed openFeed(ReadContext context) throws IOException {
    return new LiveSecuritiesFeed(context, referenceRows, updatesPerSecond, deleteEvery,
        System::nanoTime);
  }

  @Override
  public Schema schema() {
    return GeneratorSource.Kind.SECURITIES.schema();
  }

  @Override
  public List<SourcePartition> partitions() {
    return GeneratorSource.securities(referenceRows).partitions();
  }

  @Override
  public OptionalLong estimatedRows() {
    return OptionalLong.of(referenceRows);
  }

  @Override
  public String describe() {
    return "live_securities=" + referenceRows + " updates_per_second=" + updatesPerSecond
        + (deleteEvery == 0 ? "" : " delete_every=" + deleteEvery);
  }
}
