package io.sabot.connect;

/**
 * The snapshot a changelog's reader keeps between runs ({@code state_dir}), as a running job
 * reports it ({@link ReferenceFeed#keptSnapshot()}): how stale a restart would be, what the file
 * takes on disk, and what this run's restore cost.
 *
 * @param ageSeconds    seconds since the snapshot on disk now was taken; -1 while there is none
 * @param bytes         the size of that file; 0 while there is none
 * @param restoreMillis how long this run took to restore from the snapshot it found at open; -1
 *                      when it found none it could use (it read the changelog from its beginning)
 */
public record KeptSnapshot(long ageSeconds, long bytes, long restoreMillis) {}
