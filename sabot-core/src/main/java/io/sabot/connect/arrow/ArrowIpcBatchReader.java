package io.sabot.connect.arrow;

import io.sabot.connect.BatchReader;
import io.sabot.connect.ReadContext;
import io.sabot.types.Field;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowStreamReader;
import org.apache.arrow.util.AutoCloseables;

/**
 * Reads one Arrow IPC stream file. Each record batch of the file becomes one batch for the
 * caller, as large as it is in the file (it is not re-cut to the batch size), holding only the
 * projected columns in vectors it owns: transferred out of the reader's root where the types
 * match, copied where they are widened ({@link ArrowColumns}), decoded where they are
 * dictionary-encoded strings: with the dictionary the reader holds at that batch, since a stream
 * may replace a dictionary between batches. Empty record batches are skipped.
 */
final class ArrowIpcBatchReader implements BatchReader {
  private final ArrowStreamReader reader;
  private final Path file;
  private final ReadContext context;

  private ArrowIpcBatchReader(ArrowStreamReader reader, Path file, ReadContext context) {
    this.reader = reader;
    this.file = file;
    this.context = context;
  }

  static ArrowIpcBatchReader open(Path file, ReadContext context) throws IOException {
    InputStream in = Files.newInputStream(file);
    return new ArrowIpcBatchReader(new ArrowStreamReader(in, context.allocator()), file, context);
  }

  @Override
  public VectorSchemaRoot next() throws IOException {
    while (reader.loadNextBatch()) {
      VectorSchemaRoot loaded = reader.getVectorSchemaRoot();
      if (loaded.getRowCount() == 0) continue;
      return project(loaded, context.allocator());
    }
    return null;
  }

  private VectorSchemaRoot project(VectorSchemaRoot loaded, BufferAllocator allocator) throws IOException {
    List<FieldVector> out = new ArrayList<>(context.columns().size());
    try {
      for (Field f : context.columns().fields()) {
        FieldVector source = loaded.getVector(f.name());
        if (source == null || ArrowColumns.typeOfLoaded(source, reader) != f.type()) {
          throw new IOException("file=" + file + " column=" + f.name() + " is "
              + (source == null ? "missing" : source.getField().getType().toString())
              + ", expected " + f.type() + " (did the file change since the job was planned?)");
        }
        try {
          out.add(ArrowColumns.read(source, reader, f.name(), f.type(), allocator));
        } catch (IOException e) {
          throw new IOException("file=" + file + " " + e.getMessage(), e);
        }
      }
      VectorSchemaRoot batch = new VectorSchemaRoot(out);
      batch.setRowCount(loaded.getRowCount());
      return batch;
    } catch (Throwable t) {
      try {
        AutoCloseables.close(out);
      } catch (Exception suppressed) {
        t.addSuppressed(suppressed);
      }
      throw t;
    }
  }

  @Override
  public void close() throws IOException {
    reader.close();
  }
}
