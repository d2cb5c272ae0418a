package io.sabot.connect.arrow;

import java.io.IOException;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.VectorUnloader;
import org.apache.arrow.vector.dictionary.Dictionary;
import org.apache.arrow.vector.dictionary.DictionaryProvider;
import org.apache.arrow.vector.ipc.WriteChannel;
import org.apache.arrow.vector.ipc.message.ArrowDictionaryBatch;
import org.apache.arrow.vector.ipc.message.IpcOption;
import org.apache.arrow.vector.ipc.message.MessageSerializer;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * The dictionary batch messages of an Arrow stream whose dictionary-encoded columns index into
 * reference tables' columns ({@link io.sabot.physical.OutputLayout}): one per dictionary id of
 * the schema, in the order the fields name them, each holding the whole column.
 *
 * <pre>
 *   schema │ dictionary 0 │ dictionary 1 │ batch │ batch │ ... (appended run:) dictionary 0 │ dictionary 1 │ batch ...
 * </pre>
 *
 * Every dictionary is a replacement (isDelta=false), which the stream format allows: a run that
 * appends writes them again before its own batches, so its indexes mean what its tables hold.
 * The column is not copied: {@link VectorUnloader} references its buffers for the time of the
 * write, and the column stays the table's (it is never closed here).
 */
final class DictionaryMessages {
  private final List<Long> ids;
  private final DictionaryProvider dictionaries;

  /** The dictionaries {@code schema}'s fields use, looked up in {@code dictionaries}. */
  DictionaryMessages(Schema schema, DictionaryProvider dictionaries) {
    Set<Long> used = new LinkedHashSet<>();
    for (Field f : schema.getFields()) {
      if (f.getDictionary() == null) continue;
      long id = f.getDictionary().getId();
      if (dictionaries.lookup(id) == null) {
        throw new IllegalArgumentException("Internal error: column=" + f.getName() + " uses "
            + "dictionary id=" + id + ", which was not given; this is a bug in Sabot; please "
            + "report it");
      }
      used.add(id);
    }
    this.ids = List.copyOf(used);
    this.dictionaries = dictionaries;
  }

  /** Writes one dictionary batch per id to {@code channel}. */
  void write(WriteChannel channel) throws IOException {
    for (long id : ids) {
      Dictionary dictionary = dictionaries.lookup(id);
      FieldVector column = dictionary.getVector();
      // a root only to unload the column: closing it would close the table's column (and the
      // one-vector constructor would take the column's children, not the column)
      VectorSchemaRoot view = new VectorSchemaRoot(List.of(column));
      try (ArrowDictionaryBatch batch = new ArrowDictionaryBatch(id,
          new VectorUnloader(view).getRecordBatch(), false)) {
        MessageSerializer.serialize(channel, batch, IpcOption.DEFAULT);
      }
    }
  }
}
