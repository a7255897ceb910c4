package io.baton.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Keeps the published JSON Schemas and the Java records in step: what Java writes validates,
 * every field Java writes is declared, and the schema and the codec agree on which fields are
 * required.
 */
class JsonSchemaTest {
  private static final String BASE = "https://schemas.baton.io/events/v1/";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final JsonSchemaFactory FACTORY =
      JsonSchemaFactory.getInstance(
          SpecVersion.VersionFlag.V202012,
          builder ->
              builder.schemaMappers(
                  mappers -> mappers.mapPrefix(BASE, "classpath:io/baton/events/schema/")));
  private static final SchemaValidatorsConfig CONFIG =
      SchemaValidatorsConfig.builder().formatAssertionsEnabled(true).build();

  @Test
  void everythingJavaWritesValidatesAgainstItsSchema() throws IOException {
    for (Map.Entry<Object, String> sample : Samples.all().entrySet()) {
      JsonNode json = JSON.readTree(EventCodec.write(sample.getKey()));
      assertValid(schema(sample.getValue()), json, sample.getValue());
    }
  }

  @Test
  void everyFieldJavaWritesIsDeclaredInTheSchema() throws IOException {
    for (Map.Entry<Object, String> sample : Samples.all().entrySet()) {
      JsonNode json = JSON.readTree(EventCodec.write(sample.getKey()));
      assertValid(strictSchema(sample.getValue()), json, sample.getValue() + " (strict)");
    }
  }

  @Test
  void schemaAndCodecAgreeOnWhichFieldsAreRequired() throws IOException {
    List<String> disagreements = new ArrayList<>();
    for (Map.Entry<Object, String> sample : Samples.all().entrySet()) {
      JsonSchema schema = schema(sample.getValue());
      ObjectNode json = (ObjectNode) JSON.readTree(EventCodec.write(sample.getKey()));
      for (List<Object> path : fieldPaths(json, new ArrayList<>())) {
        ObjectNode without = json.deepCopy();
        remove(without, path);
        boolean schemaAccepts = schema.validate(without).isEmpty();
        boolean codecAccepts = codecAccepts(without, sample.getKey().getClass());
        if (schemaAccepts != codecAccepts) {
          disagreements.add(
              sample.getValue() + " without " + path + ": schema "
                  + (schemaAccepts ? "accepts" : "rejects") + ", codec "
                  + (codecAccepts ? "accepts" : "rejects"));
        }
      }
    }
    assertTrue(disagreements.isEmpty(), String.join("\n", disagreements));
  }

  @Test
  void theSchemaRejectsAMalformedEventToo() throws IOException {
    ObjectNode json = (ObjectNode) JSON.readTree(EventCodec.write(Samples.master()));
    json.put("promotedAtLsn", "not-an-lsn");
    assertTrue(!schema("master-record").validate(json).isEmpty());
  }

  @Test
  void enumerationsMatchTheJavaEnums() throws IOException {
    assertEnum("heartbeat", "/$defs/postgres/properties/health/enum", Health.values());
    assertEnum("heartbeat", "/$defs/postgres/properties/role/enum", Role.values());
    assertEnum("heartbeat", "/$defs/agent/properties/convergence/enum", Convergence.values());
    assertEnum("cluster-event", "/properties/type/enum", EventType.values());
    assertEnum("cluster-event", "/properties/outcome/enum", RequestOutcome.values());
    assertEnum(
        "operator-request", "/$defs/action/oneOf/2/properties/mode/enum", ReplicationMode.values());
  }

  private static void assertEnum(String schemaName, String pointer, Enum<?>[] constants)
      throws IOException {
    JsonNode values = resource(schemaName).at(pointer);
    Set<String> inSchema = new TreeSet<>();
    values.forEach(value -> inSchema.add(value.asText()));
    Set<String> inJava =
        Arrays.stream(constants).map(Wire::name).collect(Collectors.toCollection(TreeSet::new));
    assertEquals(inJava, inSchema, schemaName + pointer);
  }

  private static boolean codecAccepts(JsonNode json, Class<?> type) {
    try {
      EventCodec.read(json.toString(), type);
      return true;
    } catch (MalformedEventException e) {
      return false;
    }
  }

  private static List<List<Object>> fieldPaths(JsonNode node, List<Object> prefix) {
    List<List<Object>> paths = new ArrayList<>();
    if (node.isObject()) {
      Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
      while (fields.hasNext()) {
        Map.Entry<String, JsonNode> field = fields.next();
        List<Object> path = new ArrayList<>(prefix);
        path.add(field.getKey());
        paths.add(path);
        paths.addAll(fieldPaths(field.getValue(), path));
      }
    } else if (node.isArray()) {
      for (int i = 0; i < node.size(); i++) {
        List<Object> path = new ArrayList<>(prefix);
        path.add(i);
        paths.addAll(fieldPaths(node.get(i), path));
      }
    }
    return paths;
  }

  private static void remove(JsonNode root, List<Object> path) {
    JsonNode parent = root;
    for (Object step : path.subList(0, path.size() - 1)) {
      parent = step instanceof Integer index ? parent.get(index) : parent.get((String) step);
    }
    ((ObjectNode) parent).remove((String) path.get(path.size() - 1));
  }

  private static void assertValid(JsonSchema schema, JsonNode json, String what) {
    Set<ValidationMessage> errors = schema.validate(json);
    assertTrue(errors.isEmpty(), () -> what + ": " + errors + "\n" + json);
  }

  private static JsonSchema schema(String name) {
    return FACTORY.getSchema(
        com.networknt.schema.SchemaLocation.of(BASE + name + ".schema.json"), CONFIG);
  }

  /** The schema with every object closed, so an undeclared field fails validation. */
  private static JsonSchema strictSchema(String name) throws IOException {
    JsonNode schema = resource(name);
    close(schema);
    return FACTORY.getSchema(schema, CONFIG);
  }

  private static void close(JsonNode schema) {
    if (schema.isObject()) {
      if (schema.has("properties")) {
        ((ObjectNode) schema).put("unevaluatedProperties", false);
      }
      schema.forEach(JsonSchemaTest::close);
    } else if (schema instanceof ArrayNode array) {
      array.forEach(JsonSchemaTest::close);
    }
  }

  private static JsonNode resource(String name) throws IOException {
    try (InputStream in =
        JsonSchemaTest.class.getResourceAsStream("/io/baton/events/schema/" + name + ".schema.json")) {
      return JSON.readTree(in);
    }
  }
}
