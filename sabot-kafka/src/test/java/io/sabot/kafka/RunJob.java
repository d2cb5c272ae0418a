package io.sabot.kafka;

import io.sabot.exec.ExecutionOptions;
import io.sabot.exec.JobManager;
import io.sabot.graph.JobFile;
import java.nio.file.Path;

/** Runs one job file in a JVM of its own, so a test can kill it (SIGKILL) mid-stream. */
public final class RunJob {
  private RunJob() {}

  public static void main(String[] args) {
    // the wall clock at main: a parent that noted it before the start gets the JVM's start time
    System.out.println("main_started_at_ms=" + System.currentTimeMillis());
    var summary = new JobManager(ExecutionOptions.defaults().withThreads(2))
        .submitJob(JobFile.load(Path.of(args[0]))).summary();
    System.out.println(summary.format());
  }

  /** A child JVM running {@code job} with this JVM's class path; its output goes to {@code log}. */
  static Process start(Path job, Path log) throws java.io.IOException {
    return start(job, log, java.util.List.of("-Xmx512m", "-XX:+UseSerialGC"));
  }

  /** As {@link #start(Path, Path)}, with these JVM options (heap, GC, JFR) instead. */
  static Process start(Path job, Path log, java.util.List<String> jvmOptions)
      throws java.io.IOException {
    return start(job, log, jvmOptions, java.util.Map.of());
  }

  /** As {@link #start(Path, Path, java.util.List)}, with these environment variables added. */
  static Process start(Path job, Path log, java.util.List<String> jvmOptions,
      java.util.Map<String, String> environment) throws java.io.IOException {
    java.util.List<String> cmd = new java.util.ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("--add-opens=java.base/java.nio=ALL-UNNAMED");
    cmd.addAll(jvmOptions);
    cmd.addAll(java.util.List.of("-cp", System.getProperty("java.class.path"),
        RunJob.class.getName(), job.toString()));
    ProcessBuilder process = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
    process.environment().putAll(environment);
    return process.start();
  }
}
