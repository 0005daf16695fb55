package io.patchwarden.operator.support;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.slf4j.event.KeyValuePair;

class DecisionsTest {
  @Test
  void aDecisionCarriesItsContextAsKeyValuePairs() {
    Logger logger = (Logger) LoggerFactory.getLogger("io.patchwarden.decisions");
    ListAppender<ILoggingEvent> appender = new ListAppender<>();
    appender.start();
    logger.addAppender(appender);
    try {
      Decisions.log("NodeCordoned", "infra", "nodes", "nodes-1", "worker-3", "cordoned");
      Decisions.log("RunStarted", "infra", "nodes", null, null, "started");
    } finally {
      logger.detachAppender(appender);
    }
    assertThat(appender.list).hasSize(2);
    assertThat(pairs(appender.list.get(0)))
        .containsEntry("decision", "NodeCordoned")
        .containsEntry("namespace", "infra")
        .containsEntry("policy", "nodes")
        .containsEntry("run", "nodes-1")
        .containsEntry("target", "worker-3");
    assertThat(pairs(appender.list.get(1))).doesNotContainKeys("run", "target");
    assertThat(appender.list.get(0).getFormattedMessage()).isEqualTo("cordoned");
  }

  private static Map<String, Object> pairs(ILoggingEvent e) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (KeyValuePair kv : e.getKeyValuePairs()) {
      m.put(kv.key, kv.value);
    }
    return m;
  }
}
