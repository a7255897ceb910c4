package io.baton.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
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
  void aPrimaryGoalWrittenBeforeTimelineFloorsHasNone() {
    String json = new String(EventCodec.write(Samples.primaryAssignment()), StandardCharsets.UTF_8);
    assertTrue(json.contains(",\"timelineAbove\":4"), json);
    Assignment old = EventCodec.read(json.replace(",\"timelineAbove\":4", "")
        .getBytes(StandardCharsets.UTF_8), Assignment.class);
    assertEquals(OptionalLong.empty(), ((Goal.Primary) old.goal()).timelineAbove());
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

  @Test
  void rejectsAHostThatIsNeitherAHostNameNorAnIpAddressInEveryEventThatCarriesOne() {
    String problem = "'127.0.0.1\\nprogram pwn' is not a host: " + HOST_RULE;
    assertRejected(
        Samples.master(), MasterRecord.class, "\"host\":\"127.0.0.1\"",
        "\"host\":\"127.0.0.1\\nprogram pwn\"", "host", problem);
    assertRejected(
        Samples.primaryHeartbeat(), Heartbeat.class, "\"host\":\"127.0.0.1\"",
        "\"host\":\"127.0.0.1\\nprogram pwn\"", "postgres.host", problem);
    assertRejected(
        Samples.primaryHeartbeat(), Heartbeat.class, "\"clientAddress\":\"127.0.0.1\"",
        "\"clientAddress\":\"127.0.0.1\\nprogram pwn\"", "postgres.replicas[0].clientAddress",
        problem);
    assertRejected(
        Samples.standbyAssignment(), Assignment.class, "\"host\":\"127.0.0.1\"",
        "\"host\":\"127.0.0.1\\nprogram pwn\"", "goal.upstream.host", problem);
    assertRejected(
        Samples.master(), MasterRecord.class, "\"host\":\"127.0.0.1\"",
        "\"host\":\"db/app?sslmode=disable&x=\"", "host",
        "'db/app?sslmode=disable&x=' is not a host: " + HOST_RULE);
    assertRejected(
        Samples.master(), MasterRecord.class, "\"host\":\"127.0.0.1\"",
        "\"host\":\"a,b\"", "host", "'a,b' is not a host: " + HOST_RULE);
  }

  @Test
  void rejectsAnUpstreamHostThatIsNeitherAHostNorASocketDirectory() {
    assertRejected(
        Samples.standbyHeartbeat(), Heartbeat.class, "\"upstreamHost\":\"127.0.0.1\"",
        "\"upstreamHost\":\"127.0.0.1\\r\\nx\"", "postgres.receiver.upstreamHost",
        "'127.0.0.1\\r\\nx' is neither a host (" + HOST_RULE + ")"
            + " nor a socket directory (an absolute path without control characters)");
  }

  @Test
  void rejectsAPortOutOfRangeWhereverAPortIs() {
    assertRejected(
        Samples.primaryHeartbeat(), Heartbeat.class, "\"port\":5433", "\"port\":0",
        "postgres.port", "must be between 1 and 65535, got 0");
    assertRejected(
        Samples.standbyHeartbeat(), Heartbeat.class, "\"upstreamPort\":5433",
        "\"upstreamPort\":65536", "postgres.receiver.upstreamPort",
        "must be between 1 and 65535, got 65536");
    assertRejected(
        Samples.standbyAssignment(), Assignment.class, "\"port\":5434", "\"port\":-1",
        "goal.upstream.port", "must be between 1 and 65535, got -1");
  }

  @Test
  void rejectsIdentifiersThatAreNotNamesInEveryEventThatCarriesThem() {
    assertRejected(
        Samples.primaryHeartbeat(), Heartbeat.class, "\"incarnation\":\"3f1c0a52",
        "\"incarnation\":\"X\\u0000", "incarnation",
        "'X\\u0000-9e61-4a3e-9a43-2c1f1c6c7d10' is not a valid name: " + NAME_RULE);
    assertRejected(
        Samples.switchoverRequest(), OperatorRequest.class, "\"requestId\":\"9b2e\"",
        "\"requestId\":\"9b2e\\nrequest=forged\"", "requestId",
        "'9b2e\\nrequest=forged' is not a valid name: " + NAME_RULE);
    assertRejected(
        Samples.switchoverRequest(), OperatorRequest.class, "\"to\":\"n2\"",
        "\"to\":\"n2 \"", "action.to", "'n2 ' is not a valid name: " + NAME_RULE);
    assertRejected(
        Samples.event(), ClusterEvent.class, "\"requestId\":\"9b2e\"",
        "\"requestId\":\"9b2e outcome=completed\"", "requestId",
        "'9b2e outcome=completed' is not a valid name: " + NAME_RULE);
    assertRejected(
        Samples.primaryAssignment(), Assignment.class, "\"synchronousStandbys\":[\"n3\"",
        "\"synchronousStandbys\":[\"n3\\\")\"", "goal.synchronousStandbys[0]",
        "'n3\")' is not a valid name: " + NAME_RULE);
    assertRejected(
        Samples.standbyAssignment(), Assignment.class, "\"node\":\"n2\"",
        "\"node\":\"n2\\n\"", "goal.upstream.node",
        "'n2\\n' is not a valid name: " + NAME_RULE);
  }

  @Test
  void aRejectedValueIsQuotedOnOneLineAndShortened() {
    String longHost = "a".repeat(300);
    MalformedEventException e =
        assertThrows(
            MalformedEventException.class,
            () ->
                EventCodec.read(
                    EventCodec.writeString(Samples.master())
                        .replace("\"host\":\"127.0.0.1\"",
                            "\"host\":\"\\u001b[2J\\u2028" + longHost + "\""),
                    MasterRecord.class));
    assertEquals("host", e.field());
    assertTrue(e.getMessage().chars().noneMatch(EventCodecTest::breaksALine), e.getMessage());
    assertTrue(e.getMessage().contains("'\\u001b[2J\\u2028aaa"), e.getMessage());
    assertTrue(e.getMessage().length() < 400, e.getMessage());
  }

  @Test
  void freeTextMayHoldAnyCharacterButItsLogLineIsOneLine() {
    ClusterEvent forged =
        new ClusterEvent(
            "orders", Samples.T0, 3, EventType.NODE_LOST, Optional.of("n1"),
            "gone\n2026-11-21 12:00:01 cluster=orders node=n9 epoch=9 promoted: fake\r\u0000",
            Optional.of("9b2e"), Optional.empty(), Optional.empty());
    assertEquals(forged, EventCodec.read(EventCodec.write(forged), ClusterEvent.class));
    assertEquals(
        "cluster=orders node=n1 epoch=3 node-lost: gone\\n2026-11-21 12:00:01 cluster=orders"
            + " node=n9 epoch=9 promoted: fake\\r\\u0000 request=9b2e",
        forged.logLine());
  }

  @Test
  void rejectsAMomentThatIsNotIsoTextInUtc() {
    assertRejected(
        Samples.master(), MasterRecord.class, "\"since\":\"2026-11-21T12:00:00.250Z\"",
        "\"since\":\"12345\"", "since",
        "'12345' is not a moment in UTC like 2026-11-21T12:00:00Z");
    assertRejected(
        Samples.primaryHeartbeat(), Heartbeat.class, "\"sentAt\":\"2026-11-21T12:00:00.250Z\"",
        "\"sentAt\":1790000000", "sentAt",
        "is not text: a moment in UTC like 2026-11-21T12:00:00Z");
  }

  private static final String HOST_RULE =
      "expected a host name (RFC 1123: dot-separated labels of 1 to 63 letters, digits or '-',"
          + " at most 253 characters) or an IPv4 or IPv6 address (without brackets)";
  private static final String NAME_RULE =
      "use 1 to 63 lowercase letters, digits, '-' or '_', starting with a letter or digit";

  private static boolean breaksALine(int c) {
    return Character.isISOControl(c) || c == '\u2028' || c == '\u2029';
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
