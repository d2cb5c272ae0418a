package io.sabot.kafka;

import java.io.IOException;
import java.nio.file.Path;

/** Agents as child JVMs for the tests, on the test broker, each logging to a file of its own. */
final class Agents {
  private Agents() {}

  /**
   * Agent {@code name} watching {@code control}, with 2 threads, its --data-dir
   * {@code dir/name-data} and its output in {@code dir/name.log}.
   */
  static Process start(Path dir, String name, String control) throws IOException {
    return new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "--add-opens=java.base/java.nio=ALL-UNNAMED", "-Xmx384m", "-XX:+UseSerialGC",
        "-cp", System.getProperty("java.class.path"), Agent.class.getName(),
        TestBroker.bootstrap(), name, "2", control, dir.resolve(name + "-data").toString())
        .redirectErrorStream(true).redirectOutput(dir.resolve(name + ".log").toFile()).start();
  }
}
