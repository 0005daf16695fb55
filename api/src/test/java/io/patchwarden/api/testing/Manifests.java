package io.patchwarden.api.testing;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.patchwarden.api.endpoint.ManagedEndpoint;
import io.patchwarden.api.group.EndpointGroup;
import io.patchwarden.api.policy.PatchPolicy;
import io.patchwarden.api.run.PatchRun;
import io.patchwarden.api.window.MaintenanceWindow;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Reads multi-document YAML manifests and binds Patchwarden kinds strictly to the Java model. */
public final class Manifests {

  /** Patchwarden kind → (model class, CRD plural). */
  public static final Map<String, Kind> KINDS =
      Map.of(
          "MaintenanceWindow", new Kind(MaintenanceWindow.class, "maintenancewindows"),
          "EndpointGroup", new Kind(EndpointGroup.class, "endpointgroups"),
          "PatchPolicy", new Kind(PatchPolicy.class, "patchpolicies"),
          "ManagedEndpoint", new Kind(ManagedEndpoint.class, "managedendpoints"),
          "PatchRun", new Kind(PatchRun.class, "patchruns"));

  /** A Patchwarden kind: its model class and the CRD's plural. */
  public record Kind(Class<? extends HasMetadata> type, String plural) {}

  private static final YAMLMapper YAML = new YAMLMapper(new YAMLFactory());

  /**
   * Strict: an unknown field anywhere in the model is an error, as a typo in a manifest would be.
   */
  private static final ObjectMapper STRICT =
      JsonMapper.builder()
          .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
          .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
          .disable(MapperFeature.ACCEPT_CASE_INSENSITIVE_ENUMS)
          .build();

  private Manifests() {}

  /** Every non-empty document of a YAML file, in order. */
  public static List<JsonNode> readAll(Path file) {
    try {
      return readAll(Files.readString(file));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Every non-empty document of a YAML text, in order. */
  public static List<JsonNode> readAll(String yaml) {
    try (var parser = YAML.createParser(yaml)) {
      List<JsonNode> documents = new ArrayList<>();
      for (var it = YAML.readValues(parser, JsonNode.class); it.hasNext(); ) {
        JsonNode doc = it.next();
        if (doc != null && !doc.isNull() && !doc.isMissingNode() && !doc.isEmpty()) {
          documents.add(doc);
        }
      }
      return documents;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The Patchwarden kind of a document, if it is one. */
  public static Optional<Kind> kindOf(JsonNode document) {
    if (!document.path("apiVersion").asText().startsWith("patchwarden.io/")) {
      return Optional.empty();
    }
    return Optional.ofNullable(KINDS.get(document.path("kind").asText()));
  }

  /** Binds a document to its model class, failing on unknown fields and bad enum values. */
  public static <T> T bindStrictly(JsonNode document, Class<T> type) {
    try {
      return STRICT.treeToValue(document, type);
    } catch (IOException e) {
      throw new IllegalArgumentException(e.getMessage(), e);
    }
  }

  /** A document's name, qualified with its namespace. */
  public static String describe(JsonNode document) {
    JsonNode metadata = document.path("metadata");
    return document.path("kind").asText()
        + " "
        + metadata.path("namespace").asText("")
        + "/"
        + metadata.path("name").asText();
  }
}
