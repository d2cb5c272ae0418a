package io.sabot.exec;

import io.sabot.connect.Sink;
import io.sabot.types.Schema;
import java.io.IOException;
import org.apache.arrow.vector.VectorSchemaRoot;

/**
 * Fault injection: a real sink that makes each batch durable at once (a sync per batch, where the
 * file sinks sync per interval) and whose {@code failAt}-th write fails as a full disk would.
 */
class FailingSink implements Sink {
  private final Sink delegate;
  private final int failAt;
  private int writes;

  FailingSink(Sink delegate, int failAt) {
    this.delegate = delegate;
    this.failAt = failAt;
  }

  @Override
  public void open(Schema schema) throws IOException {
    delegate.open(schema);
  }

  @Override
  public void write(VectorSchemaRoot batch) throws IOException {
    throw new AssertionError("the executor writes with a durability callback");
  }

  @Override
  public void write(VectorSchemaRoot batch, Object checkpoint, Runnable onDurable) throws IOException {
    if (++writes == failAt) throw new IOException("No space left on device (injected at write " + failAt + ")");
    delegate.write(batch, checkpoint, onDurable);
    delegate.flush();
  }

  @Override
  public void flush() throws IOException {
    delegate.flush();
  }

  @Override
  public void finish() throws IOException {
    delegate.finish();
  }

  @Override
  public void close() throws IOException {
    delegate.close();
  }
}
