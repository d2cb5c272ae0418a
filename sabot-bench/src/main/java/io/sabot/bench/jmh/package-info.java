/**
 * JMH micro-benchmarks of the kernels on their own: decoding, filtering, gathering, building and
 * probing a reference table ({@link io.sabot.bench.jmh.KernelData} makes their inputs). They
 * explain an end-to-end figure of {@code sabot bench}; they are never run by the build.
 */
package io.sabot.bench.jmh;
