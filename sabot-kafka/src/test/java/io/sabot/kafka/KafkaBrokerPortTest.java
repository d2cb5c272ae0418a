package io.sabot.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.BindException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * KafkaBroker.start refuses a bad or busy client port before it writes or launches anything, and
 * its settings replace the defaults of the broker's properties.
 */
class KafkaBrokerPortTest {
  @Test
  void shouldRefuseABusyPortBeforeWritingAnything(@TempDir Path dir) throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      int port = taken.getLocalPort();
      Path data = dir.resolve("data");
      BindException e = assertThrows(BindException.class, () -> KafkaBroker.start(port, data));
      assertEquals("port=" + port + " on 127.0.0.1 is already in use", e.getMessage());
      assertFalse(data.toFile().exists());
    }
  }

  @Test
  void shouldRefuseAPortOutOfRange() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> KafkaBroker.start(99999, null));
    assertEquals("port=99999 is out of range; use 1 to 65535, or 0 for a free port", e.getMessage());
  }

  @Test
  void shouldReplaceADefaultSettingAndAddANewOne() {
    String props = KafkaBroker.withSettings(KafkaBroker.serverProperties(Path.of("/l"), 9092, 9093),
        java.util.Map.of("group.initial.rebalance.delay.ms", "3000", "log.retention.ms", "1000"));
    assertEquals(1, props.lines().filter(l -> l.startsWith("group.initial.rebalance.delay.ms=")).count());
    assertTrue(props.contains("group.initial.rebalance.delay.ms=3000\n"), props);
    assertTrue(props.contains("log.retention.ms=1000\n"), props);
    assertTrue(props.contains("node.id=1\n"), props);
  }
}
