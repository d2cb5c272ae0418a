package io.sabot.kafka;

import io.sabot.exec.ExecutionOptions;
import io.sabot.exec.JobManager;
import io.sabot.graph.JobFile;
import java.nio.file.Path;

/** Runs one job file in a JVM of its own, so a test can kill it (SIGKILL) mid-stream. */
public final class RunJob {
  private RunJob() {}

  public static void main(String[] args) {
    var summary = new JobManager(ExecutionOptions.defaults().withThreads(2))
        .submitJob(JobFile.load(Path.of(args[0]))).summary();
    System.out.println(summary.format());
  }

  /** A child JVM running {@code job} with this JVM's class path; its output goes to {@code log}. */
  static Process start(Path job, Path log) throws java.io.IOException {
    return new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "--add-opens=java.base/java.nio=ALL-UNNAMED", "-Xmx512m", "-XX:+UseSerialGC",
        "-cp", System.getProperty("java.class.path"), RunJob.class.getName(), job.toString())
        .redirectErrorStream(true).redirectOutput(log.toFile()).start();
  }
}
