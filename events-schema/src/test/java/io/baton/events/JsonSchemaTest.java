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

  /**
   * Every string field of every sample, set to each of these values in turn: the schema and the
   * codec must accept and reject the same ones, so the schema's patterns and the records' checks
   * cannot drift apart.
   */
  @Test
  void schemaAndCodecAgreeOnEveryValueOfEveryStringField() throws IOException {
    List<String> values = new ArrayList<>(BAD_HOSTS);
    values.addAll(GOOD_HOSTS);
    values.addAll(BAD_NAMES);
    values.addAll(GOOD_NAMES);
    values.addAll(List.of("", " ", "12345", "/var/run/postgresql", "n1\n"));
    List<String> disagreements = new ArrayList<>();
    Set<String> swept = new java.util.HashSet<>();
    for (Map.Entry<Object, String> sample : Samples.all().entrySet()) {
      JsonSchema schema = schema(sample.getValue());
      ObjectNode json = (ObjectNode) JSON.readTree(EventCodec.write(sample.getKey()));
      for (List<Object> path : leaves(json, new ArrayList<>())) {
        // Samples of one event and variant share most fields: each field once is enough.
        String variant = json.at("/action/type").asText() + json.at("/goal/state").asText();
        if (!at(json, path).isTextual() || !swept.add(sample.getValue() + variant + path)) {
          continue;
        }
        for (String value : values) {
          ObjectNode changed = json.deepCopy();
          set(changed, path, JSON.getNodeFactory().textNode(value));
          disagreements.addAll(disagreement(schema, changed, sample, path, value));
        }
      }
    }
    assertTrue(disagreements.isEmpty(), String.join("\n", disagreements));
  }

  /** The same for every integer field: ports, epochs, timelines, counts. */
  @Test
  void schemaAndCodecAgreeOnEveryValueOfEveryIntegerField() throws IOException {
    List<String> disagreements = new ArrayList<>();
    for (Map.Entry<Object, String> sample : Samples.all().entrySet()) {
      JsonSchema schema = schema(sample.getValue());
      ObjectNode json = (ObjectNode) JSON.readTree(EventCodec.write(sample.getKey()));
      for (List<Object> path : leaves(json, new ArrayList<>())) {
        // How many synchronous standbys must confirm depends on how many are named: a rule
        // across two fields, which the codec checks and the schema only approximates.
        if (!at(json, path).isIntegralNumber() || path.contains("synchronousCount")) {
          continue;
        }
        for (long value : new long[] {-1, 0, 1, 65535, 65536}) {
          ObjectNode changed = json.deepCopy();
          set(changed, path, JSON.getNodeFactory().numberNode(value));
          disagreements.addAll(disagreement(schema, changed, sample, path, value));
        }
      }
    }
    assertTrue(disagreements.isEmpty(), String.join("\n", disagreements));
  }

  /** The schema states the very patterns the records check. */
  @Test
  void theSchemaPatternsAreTheOnesTheRecordsCheck() throws IOException {
    JsonNode common = resource("common");
    assertEquals(Names.PATTERN, common.at("/$defs/name/pattern").asText());
    assertEquals(Hosts.PATTERN, common.at("/$defs/host/pattern").asText());
    assertEquals(Hosts.SOCKET_DIRECTORY_PATTERN,
        common.at("/$defs/socketDirectory/pattern").asText());
    JsonNode enrollment = resource("enrollment");
    assertEquals(Enrollment.PUBLIC_KEY_PATTERN,
        enrollment.at("/properties/publicKey/pattern").asText());
    assertEquals(Enrollment.SIGNATURE_PATTERN,
        enrollment.at("/properties/signature/pattern").asText());
  }

  /** Keys and signatures: Base64 of the right length and kind, in one spelling only. */
  @Test
  void schemaAndCodecAgreeOnKeysAndSignatures() throws IOException {
    String key = io.baton.events.signing.Ed25519.encode(Samples.NODE.getPublic());
    String signature = Samples.enrollment().signature();
    List<String> failures = new ArrayList<>();
    failures.addAll(expect(Samples.enrollment(), "/publicKey", List.of(key,
        io.baton.events.signing.Ed25519.encode(Samples.OPERATOR.getPublic())), true));
    failures.addAll(expect(Samples.enrollment(), "/publicKey", List.of("", key + "\n",
        key.substring(0, 59) + "B", key.replace('=', 'A'), "MCowBQYDK2VwAyEA", key + key,
        "MCowBQYDK2VlAyEA" + key.substring(16)), false));
    failures.addAll(expect(Samples.enrollment(), "/signature", List.of(signature), true));
    failures.addAll(expect(Samples.enrollment(), "/signature", List.of("", signature + "\n",
        signature.substring(0, 86) + "B=", signature.substring(4), "A" + signature,
        key), false));
    assertTrue(failures.isEmpty(), String.join("\n", failures));
  }

  /** Hosts, names and ports: the bad values are rejected by both, the good accepted by both. */
  @Test
  void badHostsNamesAndPortsAreRejectedByBothSchemaAndCodec() throws IOException {
    List<String> failures = new ArrayList<>();
    for (Object sample : List.of(Samples.master(), Samples.primaryHeartbeat(),
        Samples.standbyHeartbeat(), Samples.standbyAssignment(), Samples.enrollment())) {
      for (String field : List.of("/host", "/postgres/host", "/postgres/replicas/0/clientAddress",
          "/goal/upstream/host", "/postgres/receiver/upstreamHost")) {
        failures.addAll(expect(sample, field, BAD_HOSTS, false));
        failures.addAll(expect(sample, field, GOOD_HOSTS, true));
      }
    }
    failures.addAll(expect(Samples.standbyHeartbeat(), "/postgres/receiver/upstreamHost",
        List.of("/var/run/postgresql", "/tmp"), true));
    failures.addAll(expect(Samples.standbyHeartbeat(), "/postgres/receiver/upstreamHost",
        List.of("/tmp\n", "/tmp\u0000x", "run/postgresql"), false));
    for (Object sample : List.of(Samples.master(), Samples.standbyHeartbeat(),
        Samples.switchoverRequest(), Samples.event(), Samples.primaryAssignment(),
        Samples.standbyAssignment(), Samples.enrollment(), Samples.primaryHeartbeat())) {
      for (String field : List.of("/cluster", "/node", "/incarnation", "/requestId", "/action/to",
          "/action/from", "/goal/synchronousStandbys/0", "/goal/upstream/node", "/enrolledBy",
          "/agent/handover")) {
        failures.addAll(expect(sample, field, BAD_NAMES, false));
        failures.addAll(expect(sample, field, GOOD_NAMES, true));
      }
    }
    for (Object sample : List.of(Samples.master(), Samples.standbyHeartbeat(),
        Samples.standbyAssignment(), Samples.enrollment())) {
      for (String field : List.of("/port", "/postgres/port", "/postgres/receiver/upstreamPort",
          "/goal/upstream/port")) {
        failures.addAll(expectNumbers(sample, field, List.of(0L, -1L, 65536L, 100000L), false));
        failures.addAll(expectNumbers(sample, field, List.of(1L, 5432L, 65535L), true));
      }
    }
    assertTrue(failures.isEmpty(), String.join("\n", failures));
  }

  private static final List<String> BAD_HOSTS = List.of(
      "127.0.0.1\nprogram pwn", "db\n", "db\r", "db\r\n", "db\u0000", "\u0000", "db\t",
      "db\u2028", "db/app?sslmode=disable&x=", "db?x=1", "db&x", "db/x", "a,b", "db 2", " db",
      "db;show", "db#x", "db'x", "db\"x", "db:5432", "db@x", "db%0a", "-db", "db-", "db..x",
      ".db", "db.", "a".repeat(64) + ".example.com", "x." + "a".repeat(63) + "." + "b".repeat(63)
          + "." + "c".repeat(63) + "." + "d".repeat(63), "db_1", "1.2.3.256", "01.2.3.4",
      "1.2.3", "1.2.3.4.5", "123", "[::1]", "::1%eth0", "fe80::1%25eth0", ":::1", "1::2::3",
      "12345::1", "1:2:3:4:5:6:7:8:9", "::ffff:1.2.3.256", "g::1", "",
      "server x\nprogram pwn\n    command /bin/sh");
  private static final List<String> GOOD_HOSTS = List.of(
      "127.0.0.1", "10.77.0.11", "255.255.255.255", "0.0.0.0", "localhost", "pg-1",
      "db.example.com", "DB.Example.COM", "pg-main-0.pg-main.baton.svc.cluster.local", "1db",
      "a".repeat(63) + ".example.com", "::1", "::", "fd00::1:2", "2001:db8::8a2e:370:7334",
      "2001:0db8:0000:0000:0000:ff00:0042:8329", "::ffff:10.0.0.1", "64:ff9b::192.0.2.33",
      "1:2:3:4:5:6:7::", "1::8", "1:2:3:4:5:6:10.0.0.1", "FE80::1");
  private static final List<String> BAD_NAMES = List.of(
      "", "N1", "n 1", "n1\n", "n1\r", "\u0000", "n1\u0000", "-n1", "_n1", "n.1", "n/1", "n1?",
      "a".repeat(64), "n1\u2028", "ñ1");
  private static final List<String> GOOD_NAMES = List.of(
      "n1", "orders", "pg-main_2", "0", "a".repeat(63), "3f1c0a52-9e61-4a3e-9a43-2c1f1c6c7d10");

  private static List<String> expect(Object sample, String pointer, List<String> values,
      boolean accepted) throws IOException {
    return expectValues(sample, pointer,
        values.stream().map(v -> (JsonNode) JSON.getNodeFactory().textNode(v)).toList(), accepted);
  }

  private static List<String> expectNumbers(Object sample, String pointer, List<Long> values,
      boolean accepted) throws IOException {
    return expectValues(sample, pointer,
        values.stream().map(v -> (JsonNode) JSON.getNodeFactory().numberNode(v)).toList(),
        accepted);
  }

  /** Sets the field at {@code pointer} (when the sample has it) to each value and checks both. */
  private static List<String> expectValues(Object sample, String pointer, List<JsonNode> values,
      boolean accepted) throws IOException {
    String name = Samples.all().get(sample);
    ObjectNode json = (ObjectNode) JSON.readTree(EventCodec.write(sample));
    if (json.at(pointer).isMissingNode()) {
      return List.of();
    }
    List<String> failures = new ArrayList<>();
    JsonSchema schema = schema(name);
    for (JsonNode value : values) {
      ObjectNode changed = json.deepCopy();
      JsonNode parent = changed.at(pointer.substring(0, pointer.lastIndexOf('/')));
      String last = pointer.substring(pointer.lastIndexOf('/') + 1);
      if (parent instanceof ArrayNode array) {
        array.set(Integer.parseInt(last), value);
      } else {
        ((ObjectNode) parent).set(last, value);
      }
      boolean schemaAccepts = schema.validate(changed).isEmpty();
      boolean codecAccepts = codecAccepts(changed, sample.getClass());
      if (schemaAccepts != accepted || codecAccepts != accepted) {
        failures.add(name + pointer + " = " + value + ": schema "
            + (schemaAccepts ? "accepts" : "rejects") + ", codec "
            + (codecAccepts ? "accepts" : "rejects") + ", expected both to "
            + (accepted ? "accept" : "reject"));
      }
    }
    return failures;
  }

  private static List<String> disagreement(JsonSchema schema, JsonNode json,
      Map.Entry<Object, String> sample, List<Object> path, Object value) {
    boolean schemaAccepts = schema.validate(json).isEmpty();
    boolean codecAccepts = codecAccepts(json, sample.getKey().getClass());
    if (schemaAccepts == codecAccepts) {
      return List.of();
    }
    return List.of(sample.getValue() + " " + path + " = " + JSON.valueToTree(value) + ": schema "
        + (schemaAccepts ? "accepts" : "rejects") + ", codec "
        + (codecAccepts ? "accepts" : "rejects"));
  }

  /** The paths of every value that is neither an object nor an array, list elements included. */
  private static List<List<Object>> leaves(JsonNode node, List<Object> prefix) {
    if (!node.isContainerNode()) {
      return List.of(prefix);
    }
    List<List<Object>> paths = new ArrayList<>();
    if (node.isObject()) {
      node.fieldNames().forEachRemaining(field -> {
        List<Object> path = new ArrayList<>(prefix);
        path.add(field);
        paths.addAll(leaves(node.get(field), path));
      });
    } else {
      for (int i = 0; i < node.size(); i++) {
        List<Object> path = new ArrayList<>(prefix);
        path.add(i);
        paths.addAll(leaves(node.get(i), path));
      }
    }
    return paths;
  }

  private static JsonNode at(JsonNode root, List<Object> path) {
    JsonNode node = root;
    for (Object step : path) {
      node = step instanceof Integer index ? node.get(index) : node.get((String) step);
    }
    return node;
  }

  private static void set(JsonNode root, List<Object> path, JsonNode value) {
    JsonNode parent = at(root, path.subList(0, path.size() - 1));
    Object last = path.get(path.size() - 1);
    if (last instanceof Integer index) {
      ((ArrayNode) parent).set(index, value);
    } else {
      ((ObjectNode) parent).set((String) last, value);
    }
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
