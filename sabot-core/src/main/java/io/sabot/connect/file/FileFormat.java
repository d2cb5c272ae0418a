package io.sabot.connect.file;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/** The file formats of {@code format:}, with the extensions that imply them. */
public enum FileFormat {
  CSV("csv", List.of(".csv")),
  JSONL("jsonl", List.of(".jsonl", ".json")),
  ARROW("arrow", List.of(".arrow", ".arrows"));

  /** For messages: what {@code format} accepts. */
  public static final String ACCEPTED = "csv, jsonl or arrow";

  private final String jobName;
  private final List<String> extensions;

  FileFormat(String jobName, List<String> extensions) {
    this.jobName = jobName;
    this.extensions = extensions;
  }

  public String jobName() {
    return jobName;
  }

  /** {@code csv}, {@code jsonl} (or {@code json}), {@code arrow}; null for anything else. */
  public static FileFormat parse(String name) {
    switch (name.trim().toLowerCase(Locale.ROOT)) {
      case "csv": return CSV;
      case "jsonl": case "json": return JSONL;
      case "arrow": return ARROW;
      default: return null;
    }
  }

  /** The format its extension implies, or null. */
  public static FileFormat ofFile(Path file) {
    String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
    for (FileFormat f : values()) {
      for (String ext : f.extensions) {
        if (name.endsWith(ext)) return f;
      }
    }
    return null;
  }

  /** ".csv, .jsonl, .json, .arrow or .arrows", for messages. */
  public static String knownExtensions() {
    return ".csv, .jsonl, .json, .arrow or .arrows";
  }

  @Override
  public String toString() {
    return jobName;
  }
}
