package io.baton.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

class EventCodecTest {

  @Test
  void everyEventSurvivesARoundTrip() {
    for (Map.Entry<Object, String> sample : Samples.all().entrySet()) {
      Object event = sample.getKey();
      Object read = EventCodec.read(EventCodec.write(event), event.getClass());
      assertEquals(event, read, sample.getValue());
    }
  }

  @Test
  void writesWhatAPersonCanReadAtAGlance() {
    String json = EventCodec.writeString(Samples.master());
    assertEquals(
        "{\"version\":1,\"cluster\":\"orders\",\"epoch\":3,\"node\":\"n2\",\"host\":\"127.0.0.1\","
            + "\"port\":5434,\"timeline\":3,\"promotedAtLsn\":\"0/3000148\","
            + "\"since\":\"2026-11-21T12:00:00.250Z\",\"reason\":\"failover: primary n1 lost"
            + " (no heartbeat for 5.1 s of broker time)\"}",
        json);
  }

  @Test
  void leavesOutAbsentOptionalValuesRatherThanWritingNull() {
    String json = EventCodec.writeString(Samples.downHeartbeat());
    assertFalse(json.contains("null"), json);
    assertFalse(json.contains("currentLsn"), json);
    assertTrue(json.contains("\"fenceAfter\":\"PT3S\""), json);
  }

  @Test
  void toleratesFieldsItDoesNotKnow() {
    String json =
        EventCodec.writeString(Samples.primaryHeartbeat())
            .replaceFirst("\\{", "{\"addedInAFutureRelease\":{\"x\":[1,2]},")
            .replace("\"health\":", "\"newGauge\":0.5,\"health\":");
    assertEquals(Samples.primaryHeartbeat(), EventCodec.read(json, Heartbeat.class));
  }

  @Test
  void rejectsTextThatIsNotJson() {
    MalformedEventException e =
        assertThrows(
            MalformedEventException.class,
            () -> EventCodec.read("{\"cluster\": orders}", MasterRecord.class));
    assertTrue(e.getMessage().startsWith("malformed master record: is not valid JSON"), e.getMessage());
    assertEquals("", e.field());
  }

  @Test
  void rejectsAnEmptyValue() {
    MalformedEventException e =
        assertThrows(MalformedEventException.class, () -> EventCodec.read((byte[]) null, Heartbeat.class));
    assertEquals("malformed heartbeat: is empty (null value)", e.getMessage());
  }

  @Test
  void namesAMissingTopLevelField() {
    assertRejected(
        Samples.master(), MasterRecord.class, "\"cluster\":\"orders\",", "",
        "cluster", "is missing");
  }

  @Test
  void namesAMissingNestedField() {
    assertRejected(
        Samples.primaryHeartbeat(), Heartbeat.class, "\"host\":\"127.0.0.1\",", "",
        "postgres.host", "is missing");
  }

  @Test
  void namesAMissingFieldInsideAList() {
    assertRejected(
        Samples.primaryHeartbeat(), Heartbeat.class, "\"application\":\"n2\",", "",
        "postgres.replicas[0].application", "is missing");
  }

  @Test
  void namesAFieldWithAnUnreadableLsn() {
    assertRejected(
        Samples.standbyHeartbeat(), Heartbeat.class, "\"receivedLsn\":\"0/3000148\"",
        "\"receivedLsn\":\"xyz\"", "postgres.receivedLsn", "'xyz' is not an LSN like 0/3000060");
  }

  @Test
  void namesAFieldWithAnUnknownEnumValue() {
    assertRejected(
        Samples.primaryHeartbeat(), Heartbeat.class, "\"health\":\"up\"", "\"health\":\"upp\"",
        "postgres.health",
        "unknown value 'upp' (expected one of up, down, unreachable, starting)");
  }

  @Test
  void namesAnUnknownGoalState() {
    assertRejected(
        Samples.standbyAssignment(), Assignment.class, "\"state\":\"standby\"",
        "\"state\":\"leader\"", "goal.state",
        "has unknown value 'leader' (expected one of primary, standby, drained, stopped)");
  }

  @Test
  void namesAMissingGoalState() {
    assertRejected(
        Samples.drainedAssignment(), Assignment.class, "\"state\":\"drained\"", "",
        "goal.state", "is missing");
  }

  @Test
  void rejectsAVersionNewerThanItUnderstands() {
    assertRejected(
        Samples.master(), MasterRecord.class, "\"version\":1", "\"version\":2", "version",
        "is 2, newer than this reader understands (1)");
  }

  @Test
  void rejectsAnInvalidName() {
    assertRejected(
        Samples.master(), MasterRecord.class, "\"node\":\"n2\"", "\"node\":\"N 2\"", "node",
        "'N 2' is not a valid name: use 1 to 63 lowercase letters, digits, '-' or '_',"
            + " starting with a letter or digit");
  }

  @Test
  void rejectsAPortOutOfRange() {
    assertRejected(
        Samples.master(), MasterRecord.class, "\"port\":5434", "\"port\":70000", "port",
        "must be between 1 and 65535, got 70000");
  }

  @Test
  void rejectsATextWhereANumberBelongs() {
    MalformedEventException e =
        assertThrows(
            MalformedEventException.class,
            () ->
                EventCodec.read(
                    EventCodec.writeString(Samples.master()).replace("\"epoch\":3", "\"epoch\":\"three\""),
                    MasterRecord.class));
    assertEquals("epoch", e.field());
  }

  @Test
  void rejectsMoreSynchronousStandbysThanNamed() {
    assertRejected(
        Samples.primaryAssignment(), Assignment.class, "\"synchronousCount\":1",
        "\"synchronousCount\":3", "goal.synchronousCount",
        "is 3 but only 2 synchronous standbys are named");
  }

  private static void assertRejected(
      Object sample, Class<?> type, String find, String replace, String field, String problem) {
    String json = EventCodec.writeString(sample);
    assertTrue(json.contains(find), () -> "sample does not contain " + find + ": " + json);
    String broken = json.replace(find, replace).replace(",}", "}").replace("{,", "{");
    MalformedEventException e =
        assertThrows(MalformedEventException.class, () -> EventCodec.read(broken, type));
    assertEquals(field, e.field(), e.getMessage());
    assertTrue(
        e.getMessage().endsWith("field '" + field + "' " + problem),
        () -> "message was: " + e.getMessage());
  }
}
