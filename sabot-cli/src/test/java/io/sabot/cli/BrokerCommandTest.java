package io.sabot.cli;

import static io.sabot.cli.Cli.sabot;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.net.InetAddress;
import java.net.ServerSocket;
import org.junit.jupiter.api.Test;

/** {@code sabot broker}: a bad or busy port is a one-line error, never an internal error. */
class BrokerCommandTest {
  @Test
  void shouldRefuseAPortOutOfRangeAsAUsageError() {
    for (String port : new String[] {"99999", "-1", "65536"}) {
      Cli r = sabot("broker", "--port", port);
      assertEquals(2, r.exitCode, r.toString());
      assertEquals("Invalid value for option '--port': " + port + "; use 1 to 65535, or 0 for a "
          + "free port", r.firstErrLine());
      assertFalse(r.err.contains("Internal error"), r.err);
    }
  }

  @Test
  void shouldSayThePortIsInUseAndHowToPickAnother() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      int port = taken.getLocalPort();
      Cli r = sabot("broker", "--port", String.valueOf(port));
      assertEquals(1, r.exitCode, r.toString());
      assertEquals("Cannot start the Kafka broker: port=" + port + " on 127.0.0.1 is already in "
          + "use; stop what uses it, or choose another port with --port PORT (--port 0 picks a "
          + "free one)\n", r.err);
      assertEquals("", r.out);
    }
  }
}
