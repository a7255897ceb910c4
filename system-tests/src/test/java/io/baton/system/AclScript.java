package io.baton.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;

/**
 * What {@code deploy/kafka/acls.sh} grants, read from its {@code --dry-run} output (the
 * kafka-acls.sh commands it would run) as Kafka ACL bindings, so tests can check them and apply
 * them to a real broker exactly as the script would.
 */
final class AclScript {
  private AclScript() {}

  /** {@code deploy/kafka/acls.sh} of the repository these tests run in. */
  static Path script() {
    Path dir = Path.of("").toAbsolutePath();
    while (dir != null && !java.nio.file.Files.isRegularFile(dir.resolve("deploy/kafka/acls.sh"))) {
      dir = dir.getParent();
    }
    assertTrue(dir != null, "no deploy/kafka/acls.sh above " + Path.of("").toAbsolutePath());
    return dir.resolve("deploy/kafka/acls.sh");
  }

  /** Runs the script with these arguments (plus --dry-run) and returns what it would grant. */
  static List<AclBinding> grants(Path script, String... arguments)
      throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of("bash", script.toString(), "--dry-run",
        "--bootstrap-server", "unused:9092"));
    command.addAll(Arrays.asList(arguments));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(process.waitFor(30, TimeUnit.SECONDS), "acls.sh did not finish");
    assertEquals(0, process.exitValue(), "acls.sh --dry-run failed:\n" + output);
    List<AclBinding> grants = new ArrayList<>();
    for (String line : output.lines().filter(l -> !l.isBlank()).toList()) {
      grants.addAll(parse(line));
    }
    return grants;
  }

  /** One kafka-acls.sh --add command line: one binding per --operation. */
  static List<AclBinding> parse(String line) {
    List<String> words = Arrays.asList(line.strip().split(" +"));
    String principal = after(words, "--allow-principal", line);
    ResourceType type;
    String name;
    if (words.contains("--topic")) {
      type = ResourceType.TOPIC;
      name = after(words, "--topic", line);
    } else if (words.contains("--group")) {
      type = ResourceType.GROUP;
      name = after(words, "--group", line);
    } else if (words.contains("--transactional-id")) {
      type = ResourceType.TRANSACTIONAL_ID;
      name = after(words, "--transactional-id", line);
    } else {
      throw new AssertionError("no resource in: " + line);
    }
    PatternType pattern =
        PatternType.fromString(after(words, "--resource-pattern-type", line).toUpperCase(Locale.ROOT));
    List<AclBinding> bindings = new ArrayList<>();
    for (int i = 0; i < words.size() - 1; i++) {
      if (words.get(i).equals("--operation")) {
        AclOperation operation = AclOperation.fromString(
            words.get(i + 1).replaceAll("([a-z])([A-Z])", "$1_$2").toUpperCase(Locale.ROOT));
        assertTrue(operation != AclOperation.UNKNOWN, "unknown operation in: " + line);
        bindings.add(new AclBinding(new ResourcePattern(type, name, pattern),
            new AccessControlEntry(principal, "*", operation, AclPermissionType.ALLOW)));
      }
    }
    assertTrue(!bindings.isEmpty(), "no operation in: " + line);
    return bindings;
  }

  private static String after(List<String> words, String option, String line) {
    int at = words.indexOf(option);
    assertTrue(at >= 0 && at + 1 < words.size(), "no " + option + " in: " + line);
    return words.get(at + 1);
  }

  /** The topics (literal) a principal may do {@code operation} on. */
  static List<String> topics(List<AclBinding> grants, String principal, AclOperation operation) {
    return grants.stream()
        .filter(b -> b.entry().principal().equals(principal))
        .filter(b -> b.entry().operation() == operation || b.entry().operation() == AclOperation.ALL)
        .filter(b -> b.pattern().resourceType() == ResourceType.TOPIC)
        .map(b -> b.pattern().name() + (b.pattern().patternType() == PatternType.PREFIXED ? "*" : ""))
        .sorted()
        .toList();
  }
}
