package io.patchwarden.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.patchwarden.api.testing.Manifests;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Every object-valued status field outside a list is nullable. The operator writes status with
 * server-side apply, and when a field it owned disappears (a window closes and has no current
 * occurrence) the API server stores the emptied object as {@code null} (kubernetes#103011,
 * #117447); without {@code nullable: true} that status write is rejected with 422.
 */
class StatusSchemaTest {

  @Test
  void objectFieldsInStatusAreNullable() throws IOException {
    List<String> notNullable = new ArrayList<>();
    int objects = 0;
    for (var kind : Manifests.KINDS.values()) {
      String resource = "/META-INF/fabric8/" + kind.plural() + ".patchwarden.io-v1.yml";
      try (InputStream in = StatusSchemaTest.class.getResourceAsStream(resource)) {
        JsonNode crd = new YAMLMapper().readTree(in);
        JsonNode status =
            crd.at("/spec/versions/0/schema/openAPIV3Schema/properties/status/properties");
        for (var field : (Iterable<java.util.Map.Entry<String, JsonNode>>) status::fields) {
          if ("object".equals(field.getValue().path("type").asText())) {
            objects++;
            if (!field.getValue().path("nullable").asBoolean(false)) {
              notNullable.add(kind.plural() + ": status." + field.getKey());
            }
          }
        }
      }
    }
    assertThat(objects).as("object-valued status fields found").isGreaterThan(5);
    assertThat(notNullable).as("status fields that need @Nullable").isEmpty();
  }
}
