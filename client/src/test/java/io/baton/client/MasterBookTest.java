package io.baton.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.baton.events.EventCodec;
import io.baton.events.Lsn;
import io.baton.events.MasterRecord;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import org.junit.jupiter.api.Test;

class MasterBookTest {
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  private long offset;

  private final List<MasterChange> seen = new ArrayList<>();
  private final MasterListener recorder =
      (previous, current, at) -> seen.add(new MasterChange(previous, current, at));

  static MasterRecord master(String cluster, long epoch, String node, int port) {
    return new MasterRecord(cluster, epoch, node, "127.0.0.1", port, epoch, Lsn.parse("0/3000060"),
        T0, "test");
  }

  private IncomingRecord record(String key, byte[] value) {
    offset++;
    return new IncomingRecord("baton.master", 0, offset, T0.plusSeconds(offset),
        Optional.ofNullable(key).map(k -> k.getBytes(StandardCharsets.UTF_8)),
        Optional.ofNullable(value));
  }

  private IncomingRecord record(MasterRecord master) {
    return record(master.cluster(), EventCodec.write(master));
  }

  private static MasterBook book(String... clusters) {
    return new MasterBook(FollowerOptions.builder("localhost:9092").clusters(Set.of(clusters))
        .build());
  }

  @Test
  void nothingIsToldBeforeReadyThenOneSnapshotPerClusterWithTheLatestRecord() {
    MasterBook book = book();
    book.addListener(recorder);
    book.offer(record(master("orders", 1, "n1", 5432)));
    book.offer(record(master("orders", 2, "n2", 5433)));
    book.offer(record(master("billing", 7, "b1", 6432)));
    book.welcomeNewListeners();
    assertTrue(seen.isEmpty(), "no listener call before ready: " + seen);

    book.markReady();

    assertEquals(2, seen.size(), seen.toString());
    assertEquals("billing", seen.get(0).cluster());
    assertEquals(2, seen.get(1).current().epoch());
    assertEquals("n2", seen.get(1).current().node());
    assertEquals(Optional.empty(), seen.get(1).previous(), "the start-up call has no previous");
    assertEquals(T0.plusSeconds(2), seen.get(1).publishedAt());
  }

  @Test
  void afterReadyEachEpochIncreaseIsToldOnceWithThePreviousMaster() {
    MasterBook book = book();
    book.offer(record(master("orders", 1, "n1", 5432)));
    book.markReady();
    book.addListener(recorder);
    book.welcomeNewListeners();
    seen.clear();

    book.offer(record(master("orders", 2, "n2", 5433)));
    book.offer(record(master("orders", 2, "n2", 5433)));

    assertEquals(1, seen.size(), seen.toString());
    assertEquals("n1", seen.get(0).previous().orElseThrow().node());
    assertEquals("n2", seen.get(0).current().node());
    assertEquals(OptionalLong.of(2), book.lastAppliedEpoch("orders"));
  }

  @Test
  void staleEpochsAreIgnoredAndChangeNothing() {
    MasterBook book = book();
    book.markReady();
    book.addListener(recorder);
    book.welcomeNewListeners();
    book.offer(record(master("orders", 5, "n2", 5433)));
    seen.clear();

    book.offer(record(master("orders", 4, "n1", 5432)));
    book.offer(record(master("orders", 1, "n1", 5432)));
    book.offer(record(master("orders", 5, "n3", 5434)));

    assertTrue(seen.isEmpty(), "stale records reached a listener: " + seen);
    assertEquals("n2", book.current("orders").orElseThrow().node());
    assertEquals(OptionalLong.of(5), book.lastAppliedEpoch("orders"));
  }

  @Test
  void staleRecordsReadWhileCatchingUpDoNotWinOverNewerOnes() {
    MasterBook book = book();
    book.offer(record(master("orders", 3, "n3", 5434)));
    book.offer(record(master("orders", 2, "n2", 5433)));
    book.markReady();
    assertEquals("n3", book.current("orders").orElseThrow().node());
  }

  @Test
  void aFailingListenerDoesNotStopOthersOrLaterChanges() {
    MasterBook book = book();
    book.addListener((previous, current, at) -> {
      throw new IllegalStateException("listener bug");
    });
    book.addListener(recorder);
    book.markReady();
    book.offer(record(master("orders", 1, "n1", 5432)));
    book.offer(record(master("orders", 2, "n2", 5433)));
    assertEquals(List.of(1L, 2L), seen.stream().map(c -> c.current().epoch()).toList());
  }

  @Test
  void malformedRecordsAreCountedAndSkipped() {
    MasterBook book = book();
    book.markReady();
    book.addListener(recorder);
    book.welcomeNewListeners();

    book.offer(record("orders", "{not json".getBytes(StandardCharsets.UTF_8)));
    book.offer(record("orders", EventCodec.writeString(master("orders", 1, "n1", 5432))
        .replace("\"port\":5432", "\"port\":70000").getBytes(StandardCharsets.UTF_8)));
    book.offer(record("billing", EventCodec.write(master("orders", 1, "n1", 5432))));
    book.offer(record(null, EventCodec.write(master("orders", 1, "n1", 5432))));
    book.offer(record(master("orders", 2, "n2", 5433)));

    assertEquals(4, book.malformedRecords());
    assertEquals(1, seen.size());
    assertEquals(Set.of("orders"), book.all().keySet());
  }

  @Test
  void aTombstoneKeepsTheLastKnownMaster() {
    MasterBook book = book();
    book.offer(record(master("orders", 1, "n1", 5432)));
    book.markReady();
    book.offer(record("orders", null));
    assertEquals("n1", book.current("orders").orElseThrow().node());
    assertEquals(0, book.malformedRecords());
  }

  @Test
  void onlyChosenClustersAreKept() {
    MasterBook book = book("orders");
    book.offer(record(master("orders", 1, "n1", 5432)));
    book.offer(record(master("billing", 1, "b1", 6432)));
    book.offer(record("billing", "garbage".getBytes(StandardCharsets.UTF_8)));
    book.markReady();
    assertEquals(Set.of("orders"), book.all().keySet());
    assertEquals(0, book.malformedRecords(), "records of other clusters are not even decoded");
  }

  @Test
  void aRemovedListenerIsNotCalledAgain() {
    MasterBook book = book();
    book.addListener(recorder);
    book.markReady();
    book.offer(record(master("orders", 1, "n1", 5432)));
    assertTrue(book.removeListener(recorder));
    book.offer(record(master("orders", 2, "n2", 5433)));
    assertEquals(1, seen.size());
    assertFalse(book.removeListener(recorder));
  }

  @Test
  void movedEndpointTellsANewEpochOnTheSameAddressApart() {
    MasterRecord n1 = master("orders", 1, "n1", 5432);
    assertTrue(new MasterChange(Optional.empty(), n1, T0).movedEndpoint());
    assertFalse(new MasterChange(Optional.of(n1), master("orders", 2, "n1", 5432), T0)
        .movedEndpoint());
    assertTrue(new MasterChange(Optional.of(n1), master("orders", 2, "n2", 5433), T0)
        .movedEndpoint());
  }

  @Test
  void aRecordWhoseHostWouldInjectConfigurationIsSkippedAndTheNextGoodOneApplies() {
    MasterBook book = book();
    book.offer(record(master("orders", 1, "n1", 5432)));
    book.markReady();
    book.addListener(recorder);
    book.welcomeNewListeners();
    seen.clear();

    for (String hostile : List.of("10.0.0.9\\nprogram pwn", "db/app?sslmode=disable&x=",
        "a,b", "db\\u0000", "db 2")) {
      String json = new String(EventCodec.write(master("orders", 2, "n2", 5433)),
          StandardCharsets.UTF_8).replace("\"host\":\"127.0.0.1\"", "\"host\":\"" + hostile + "\"");
      book.offer(record("orders", json.getBytes(StandardCharsets.UTF_8)));
    }
    assertEquals(5, book.malformedRecords());
    assertTrue(seen.isEmpty(), "told about a refused record: " + seen);
    assertEquals("127.0.0.1", book.current("orders").orElseThrow().host());

    book.offer(record(master("orders", 3, "n3", 5434)));
    assertEquals(1, seen.size(), seen.toString());
    assertEquals(3, book.current("orders").orElseThrow().epoch());
  }
}
