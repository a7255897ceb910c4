package io.baton.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The values themselves are in {@code JsonSchemaTest}, checked against schema and codec. */
class HostsTest {
  @Test
  void writesHostAndPortWithAnIpv6AddressInBrackets() {
    assertEquals("db.example.com:5432", Hosts.withPort("db.example.com", 5432));
    assertEquals("10.0.0.1:5432", Hosts.withPort("10.0.0.1", 5432));
    assertEquals("[fd00::1:2]:5432", Hosts.withPort("fd00::1:2", 5432));
    assertEquals("[::ffff:10.0.0.1]:6432", Hosts.withPort("::ffff:10.0.0.1", 6432));
  }

  @Test
  void refusesToWriteAnythingElse() {
    InvalidFieldException host =
        assertThrows(InvalidFieldException.class, () -> Hosts.withPort("db\nprogram x", 5432));
    assertEquals("host", host.field());
    assertTrue(host.getMessage().startsWith("field 'host' 'db\\nprogram x' is not a host"),
        host.getMessage());
    assertThrows(InvalidFieldException.class, () -> Hosts.withPort("[::1]", 5432));
    assertThrows(InvalidFieldException.class, () -> Hosts.withPort("db", 0));
  }

  @Test
  void tellsAddressesFromHostNames() {
    assertTrue(Hosts.isIpAddress("10.0.0.1"));
    assertTrue(Hosts.isIpAddress("::1"));
    assertFalse(Hosts.isIpAddress("db"));
    assertFalse(Hosts.isIpAddress("10.0.0.1\n"));
  }
}
