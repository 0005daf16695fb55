package io.patchwarden.operator.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** What agents choose (a hostname) cannot forge or garble the gateway's log lines. */
class GatewayLogLinesTest {
  private static final String TOKEN = "office-laptops-0123456789abcdef";
  private static final Instant T0 = Instant.parse("2026-12-07T02:00:00Z");

  @Test
  void aHostnameWithALineBreakCannotForgeALogLine() {
    // Found by AgentProtocolFuzzPropertiesTest: the enrollment line printed the hostname as sent.
    InMemoryEndpointStore store = new InMemoryEndpointStore();
    store.tokens.add(
        new EnrollmentToken("office", "laptops", TOKEN, T0.plus(Duration.ofDays(1)), Map.of()));
    AgentGateway gateway =
        new AgentGateway(store, GatewaySettings.defaults(), Clock.fixed(T0, ZoneOffset.UTC));
    Logger logger = (Logger) LoggerFactory.getLogger(AgentGateway.class);
    ListAppender<ILoggingEvent> lines = new ListAppender<>();
    lines.start();
    logger.addAppender(lines);
    try {
      String body =
          "{\"token\":\""
              + TOKEN
              + "\",\"machineId\":\"machine-0001\",\"osFamily\":\"Debian\","
              + "\"hostname\":\"pc\\n02:00:00.000 INFO  [main] admin - Credential rotated\\u202e\"}";
      assertThat(gateway.enroll(body.getBytes(StandardCharsets.UTF_8), "10.0.0.1").status())
          .isEqualTo(200);
    } finally {
      logger.detachAppender(lines);
    }

    assertThat(lines.list).hasSize(1);
    String line = lines.list.get(0).getFormattedMessage();
    assertThat(line)
        .doesNotContain("\n")
        .doesNotContain("\u202e")
        .contains("machine pc\\u000a02:00:00.000 INFO")
        .contains("\\u202e");
  }

  @Test
  void plainValuesAreLoggedAsTheyAreAndLongOnesCut() {
    assertThat(AgentGateway.forLog("pc-17.example.com")).isEqualTo("pc-17.example.com");
    assertThat(AgentGateway.forLog("Büro-PC 日本 \ud83d\ude00")).isEqualTo("Büro-PC 日本 \ud83d\ude00");
    assertThat(AgentGateway.forLog("x".repeat(300)))
        .isEqualTo("x".repeat(AgentGateway.LOG_VALUE_MAX) + "...");
    assertThat(AgentGateway.forLog(null)).isEqualTo("null");
  }

  @Property(tries = 300)
  void noLoggedValueHoldsALineBreakOrAnInvisibleCharacter(@ForAll String hostname) {
    String logged = AgentGateway.forLog(hostname);

    assertThat(logged.length()).isLessThanOrEqualTo(AgentGateway.LOG_VALUE_MAX * 6 + 3);
    logged
        .codePoints()
        .forEach(
            c -> {
              int type = Character.getType(c);
              assertThat(type)
                  .as("character U+%04X of %s", c, logged)
                  .isNotIn(
                      (int) Character.CONTROL,
                      (int) Character.FORMAT,
                      (int) Character.LINE_SEPARATOR,
                      (int) Character.PARAGRAPH_SEPARATOR,
                      (int) Character.SURROGATE);
            });
  }
}
