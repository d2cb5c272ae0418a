package io.sabot.kafka;

import com.sun.net.httpserver.HttpServer;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An agent's metrics in Prometheus text at {@code http://HOST:PORT/metrics}
 * ({@code sabot agent --metrics-port}), through Micrometer. Per job on this agent:
 *
 * <pre>
 *   sabot_job_rows_in_total{job, agent}     stream rows read (as last reported by the job's progress)
 *   sabot_job_rows_out_total{job, agent}    rows written
 *   sabot_job_rejected_total{job, agent}    records rejected (at the end of the job)
 *   sabot_job_running{job, agent}           1 while it runs here, 0 once it finished, stopped or failed
 *   sabot_job_failed{job, agent}            1 when it failed here
 * </pre>
 *
 * The same figures go to the status topic; this is for a scraper that watches one agent.
 */
final class AgentMetrics implements AutoCloseable {
  /** One job's figures here; the meters read them. */
  static final class JobMeters {
    final AtomicLong rowsIn = new AtomicLong();
    final AtomicLong rowsOut = new AtomicLong();
    final AtomicLong rejected = new AtomicLong();
    final AtomicLong running = new AtomicLong(1);
    final AtomicLong failed = new AtomicLong();
  }

  private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final Map<String, JobMeters> jobs = new ConcurrentHashMap<>();
  private final String agent;
  private final HttpServer server;

  /** Serves on {@code port} (0: any free port) until closed. */
  AgentMetrics(String agent, int port) throws IOException {
    this.agent = agent;
    this.server = HttpServer.create(new InetSocketAddress(port), 0);
    server.createContext("/metrics", exchange -> {
      byte[] body = registry.scrape().getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().add("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
      exchange.sendResponseHeaders(200, body.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    });
    server.setExecutor(null);
    server.start();
  }

  /** The port it listens on. */
  int port() {
    return server.getAddress().getPort();
  }

  /** The meters of {@code job}, registered on first use. */
  JobMeters job(String job) {
    return jobs.computeIfAbsent(job, j -> {
      JobMeters m = new JobMeters();
      counter("sabot.job.rows.in", "stream rows the job read on this agent", j, m.rowsIn);
      counter("sabot.job.rows.out", "rows the job wrote on this agent", j, m.rowsOut);
      counter("sabot.job.rejected", "records the job rejected on this agent", j, m.rejected);
      gauge("sabot.job.running", "1 while the job runs on this agent", j, m.running);
      gauge("sabot.job.failed", "1 when the job failed on this agent", j, m.failed);
      return m;
    });
  }

  private void counter(String name, String description, String job, AtomicLong value) {
    FunctionCounter.builder(name, value, AtomicLong::get).description(description)
        .tags("job", job, "agent", agent).register(registry);
  }

  private void gauge(String name, String description, String job, AtomicLong value) {
    Gauge.builder(name, value, AtomicLong::get).description(description)
        .tags("job", job, "agent", agent).register(registry);
  }

  @Override
  public void close() {
    server.stop(0);
    registry.close();
  }
}
