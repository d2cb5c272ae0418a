package io.sabot.exec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sabot.connect.Sink;
import io.sabot.types.Schema;
import java.io.IOException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.junit.jupiter.api.Test;

/**
 * A sink's preparation on its own thread: its failure is the sink's, at the open; a job that
 * ends before the open closes a sink that holds something, without waiting for a preparation
 * still under way (a broker that does not answer), and leaves a sink that prepared nothing as
 * it was.
 */
class SinkPreparationTest {
  /** A sink whose preparation waits for {@code release}, then holds or fails as told. */
  private static final class PreparedSink implements Sink {
    final CountDownLatch release = new CountDownLatch(1);
    final CountDownLatch closed = new CountDownLatch(1);
    final AtomicInteger closes = new AtomicInteger();
    final boolean holds;
    final IOException failure;

    PreparedSink(boolean holds, IOException failure) {
      this.holds = holds;
      this.failure = failure;
    }

    @Override
    public boolean prepare() throws IOException {
      try {
        release.await();
      } catch (InterruptedException e) {
        throw new IOException(e);
      }
      if (failure != null) throw failure;
      return holds;
    }

    @Override
    public void open(Schema schema) {}

    @Override
    public void write(VectorSchemaRoot batch) {}

    @Override
    public void close() {
      closes.incrementAndGet();
      closed.countDown();
    }
  }

  @Test
  void shouldReportThePreparationsFailureAtTheOpen() {
    IOException refused = new IOException("cannot start writing on topic=out: refused");
    PreparedSink sink = new PreparedSink(true, refused);
    SinkPreparation p = SinkPreparation.start(sink, "out");
    sink.release.countDown();
    assertSame(refused, assertThrows(IOException.class, p::await));
  }

  @Test
  void shouldNotWaitForAPreparationUnderWayWhenTheJobEndsAndCloseTheSinkWhenItReturns()
      throws Exception {
    PreparedSink sink = new PreparedSink(true, null);
    SinkPreparation p = SinkPreparation.start(sink, "out");
    RuntimeException buildFailed = new RuntimeException("the reference table failed");
    long t0 = System.nanoTime();
    p.abandon(buildFailed); // the preparation is still waiting
    assertTrue(System.nanoTime() - t0 < TimeUnit.SECONDS.toNanos(1), "abandon did not wait");
    assertEquals(0, sink.closes.get(), "not closed while its preparation runs");
    sink.release.countDown();
    assertTrue(sink.closed.await(10, TimeUnit.SECONDS), "closed once the preparation returned");
    Thread.sleep(50);
    assertEquals(1, sink.closes.get());
  }

  @Test
  void shouldCloseAPreparedSinkAtOnceAndLeaveOneThatPreparedNothing() throws Exception {
    PreparedSink holding = new PreparedSink(true, null);
    SinkPreparation p = SinkPreparation.start(holding, "out");
    holding.release.countDown();
    p.await();
    p.abandon(null);
    assertEquals(1, holding.closes.get());

    PreparedSink nothing = new PreparedSink(false, null);
    SinkPreparation q = SinkPreparation.start(nothing, "file");
    nothing.release.countDown();
    q.await();
    q.abandon(null);
    assertEquals(0, nothing.closes.get(), "unopened and untouched, as without a preparation");
  }
}
