package io.baton.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.baton.coordinator.topology.TopicSetup;
import io.baton.events.TopicNames;
import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.context.annotation.EachProperty;
import io.micronaut.context.annotation.Parameter;
import io.micronaut.core.bind.annotation.Bindable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Proxy;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.BiConsumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListTopicsResult;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicListing;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * Keeps {@code deploy/} honest against the code: every {@code baton.*} key and every {@code
 * BATON_*} variable there must be one the code reads, the topics script must create what the
 * coordinator's TopicSetup creates, and the timing knobs of each deployment must agree. A key
 * renamed in a configuration record, without the deploy files following, fails here.
 *
 * <p>The real keys come from the {@code @ConfigurationProperties} and {@code @EachProperty}
 * records (found in the modules' sources, read by reflection) and from the modules'
 * {@code application.yml} files, which must themselves name only keys of those records.
 */
class DeployConsistencyTest {
  private static final Path ROOT = repositoryRoot();
  private static final Path DEPLOY = ROOT.resolve("deploy");

  private static final Pattern CONFIG_ANNOTATION =
      Pattern.compile("@(ConfigurationProperties|EachProperty)\\(\\s*\"([^\"]+)\"");
  private static final Pattern PACKAGE = Pattern.compile("(?m)^package\\s+([\\w.]+)\\s*;");
  /** A BATON_ variable anywhere in a deploy file. */
  private static final Pattern ENV_TOKEN = Pattern.compile("(?<![A-Za-z0-9_])BATON_[A-Z0-9][A-Z0-9_]*");
  /** A {@code baton.x.y} key in text (two segments at least: {@code baton.master} is a topic). */
  private static final Pattern KEY_TOKEN =
      Pattern.compile("(?<![\\w./-])baton\\.[a-z][a-z0-9-]*(?:\\.[a-z0-9][a-z0-9_-]*)+");
  /** A key the code reads directly: {@code @Value("${baton.x.y:default}")}. */
  private static final Pattern VALUE_KEY = Pattern.compile("\\$\\{(baton\\.[a-z0-9.-]*[a-z0-9])");
  /** An environment variable name the code reads itself, as a string literal. */
  private static final Pattern ENV_LITERAL = Pattern.compile("\"(BATON_[A-Z0-9_]+)\"");

  /** Key patterns, segments {@code *} matching one name (a map key, an EachProperty name). */
  private static final Set<String> KEYS = new TreeSet<>();
  /** The code's defaults, by key pattern. */
  private static final Map<String, String> DEFAULTS = new TreeMap<>();
  /** application.yml leaves, by module. */
  private static final Map<String, Map<String, Object>> MODULE_YAML = new TreeMap<>();
  private static final Set<String> ENV_LITERALS = new TreeSet<>();

  @BeforeAll
  static void readTheCode() throws IOException {
    assertTrue(Files.isDirectory(DEPLOY), "no deploy directory at " + DEPLOY);
    for (Path source : mainSources()) {
      String text = Files.readString(source, StandardCharsets.UTF_8);
      Matcher literal = ENV_LITERAL.matcher(text);
      while (literal.find()) {
        ENV_LITERALS.add(literal.group(1));
      }
      Matcher value = VALUE_KEY.matcher(text);
      while (value.find()) {
        KEYS.add(value.group(1));
      }
      Matcher annotation = CONFIG_ANNOTATION.matcher(text);
      if (!annotation.find()) {
        continue;
      }
      Matcher pkg = PACKAGE.matcher(text);
      assertTrue(pkg.find(), "no package in " + source);
      String name = pkg.group(1) + "." + source.getFileName().toString().replace(".java", "");
      Class<?> type;
      try {
        type = Class.forName(name);
      } catch (ClassNotFoundException e) {
        throw new AssertionError(name + " declares configuration keys but is not on the system-tests"
            + " classpath: add its module to system-tests' dependencies", e);
      }
      collectKeys(type, annotation.group(1).equals("EachProperty"));
    }
    for (String part : List.of("baton.agent.", "baton.postgres.", "baton.coordinator.", "baton.kafka.")) {
      assertTrue(KEYS.stream().anyMatch(k -> k.startsWith(part)), "found no " + part + "* keys: " + KEYS);
    }
    for (Path yml : applicationYamls()) {
      Map<String, Object> leaves = new TreeMap<>();
      flatten("", parseYaml(yml).get(0), leaves);
      MODULE_YAML.put(ROOT.relativize(yml).toString(), leaves);
      leaves.forEach((key, value) -> {
        if (value instanceof String s && s.matches("BATON_[A-Z0-9_]+")) {
          ENV_LITERALS.add(s); // e.g. admin-password-env: the name of a variable it reads
        }
      });
    }
  }

  @Test
  void applicationYamlFilesNameOnlyKeysTheRecordsDeclare() {
    List<String> stale = new ArrayList<>();
    MODULE_YAML.forEach((file, leaves) -> leaves.keySet().stream()
        .filter(key -> key.startsWith("baton."))
        .filter(key -> !isKey(key))
        .forEach(key -> stale.add(file + ": " + key)));
    assertTrue(stale.isEmpty(), "application.yml keys no configuration record declares (renamed in"
        + " the code?): " + stale);
  }

  @Test
  void everyBatonKeyInDeployIsReal() throws IOException {
    List<String> unknown = new ArrayList<>();
    for (Path file : deployFiles()) {
      String text = Files.readString(file, StandardCharsets.UTF_8);
      String where = ROOT.relativize(file).toString();
      Matcher token = KEY_TOKEN.matcher(text);
      while (token.find()) {
        String key = token.group();
        if (!isKey(key) && !isKeyPrefix(key)) {
          unknown.add(where + ": " + key);
        }
      }
      if (isYaml(file)) {
        for (Object document : parseYaml(file)) {
          yamlKeys(document, (key, value) -> {
            if ((key.equals("baton") || key.startsWith("baton.")) && !isKey(key) && !isKeyPrefix(key)) {
              unknown.add(where + ": " + key);
            }
          });
        }
      }
    }
    assertTrue(unknown.isEmpty(), "keys in deploy/ that the code does not read: " + unknown
        + "\nknown keys: " + KEYS);
  }

  @Test
  void everyBatonVariableInDeployIsReal() throws IOException {
    List<String> unknown = new ArrayList<>();
    for (Path file : deployFiles()) {
      Matcher token = ENV_TOKEN.matcher(Files.readString(file, StandardCharsets.UTF_8));
      while (token.find()) {
        String variable = token.group();
        if (!ENV_LITERALS.contains(variable) && KEYS.stream().noneMatch(k -> envPattern(k).matcher(variable).matches())) {
          unknown.add(ROOT.relativize(file) + ": " + variable);
        }
      }
    }
    assertTrue(unknown.isEmpty(), "environment variables in deploy/ that name no configuration key"
        + " (Micronaut maps BATON_AGENT_FENCE_AFTER to baton.agent.fence-after): " + unknown);
  }

  @Test
  void createTopicsScriptCreatesWhatTopicSetupCreates() throws IOException {
    String script = Files.readString(DEPLOY.resolve("kafka/create-topics.sh"), StandardCharsets.UTF_8);
    Map<String, String> variables = new TreeMap<>();
    Matcher assignment = Pattern.compile("(?m)^([a-z_]+)=([0-9A-Za-z._-]+)$").matcher(script);
    while (assignment.find()) {
      variables.put(assignment.group(1), assignment.group(2));
    }
    // The script derives min.insync.replicas from the replication factor, as TopicSetup does.
    assertTrue(script.contains("min_isr=$(( replication < 2 ? replication : 2 ))"), "min_isr default");
    variables.put("min_isr", Integer.toString(Math.min(2, Integer.parseInt(variables.get("replication")))));
    Map<String, Map<String, String>> table = new TreeMap<>();
    Matcher line = Pattern.compile("(?m)^([a-z][a-z-]*)\\|(\\S+)$").matcher(script);
    while (line.find()) {
      Map<String, String> configs = new TreeMap<>();
      for (String pair : line.group(2).split(",")) {
        String[] kv = pair.split("=", 2);
        configs.put(kv[0], resolve(kv[1], variables));
      }
      table.put(line.group(1), configs);
    }

    // What the coordinator creates with its default settings, captured from TopicSetup itself.
    Map<String, Map<String, String>> expected = new TreeMap<>();
    for (NewTopic topic : topicSetupCreates(new TopicNames(""), Short.parseShort(variables.get("replication")))) {
      expected.put(topic.name(), new TreeMap<>(topic.configs()));
    }
    assertEquals(expected.keySet(), table.keySet(), "topics in create-topics.sh vs TopicSetup");
    expected.forEach((topic, configs) -> configs.forEach((key, value) ->
        assertEquals(value, table.get(topic).get(key), "create-topics.sh: " + topic + " " + key)));
    // The settings the coordinator refuses to start without, spelled out.
    for (String topic : List.of("heartbeats", "requests")) {
      assertEquals("LogAppendTime", table.get(topic).get("message.timestamp.type"), topic);
    }
    for (String topic : List.of("master", "assignments")) {
      assertEquals("compact", table.get(topic).get("cleanup.policy"), topic);
    }
    assertEquals(DEFAULTS.get("baton.topics.partitions"), variables.get("partitions"),
        "create-topics.sh's default partitions vs baton.topics.partitions");
    assertEquals(String.valueOf(
            MODULE_YAML.get("coordinator/src/main/resources/application.yml").get("baton.topics.partitions")),
        variables.get("partitions"));
  }

  /**
   * Issue 9: agents may write heartbeats and nothing else (the preStop handover is asked in a
   * heartbeat); only the coordinator writes what moves clients; only operators write requests
   * and enrollments. {@code KafkaSecurityIT} applies the same script to a broker that enforces it.
   */
  @Test
  void aclsLetAgentsWriteOnlyHeartbeatsAndOperatorsAloneWriteRequestsAndEnrollments()
      throws Exception {
    List<AclBinding> grants = AclScript.grants(DEPLOY.resolve("kafka/acls.sh"),
        "--prefix", "p.", "--coordinator", "User:coordinator", "--agent", "User:agent",
        "--subscriber", "User:subscriber", "--application", "User:app", "--operator",
        "User:alice");
    assertEquals(List.of("p.heartbeats"), AclScript.topics(grants, "User:agent", AclOperation.WRITE),
        "agents write heartbeats only");
    assertEquals(List.of("p.assignments", "p.events"),
        AclScript.topics(grants, "User:agent", AclOperation.READ));
    for (String topic : List.of("p.master", "p.assignments", "p.events", "p.dead-letters")) {
      assertEquals(List.of("User:coordinator"), writers(grants, topic), topic);
    }
    assertEquals(List.of("User:alice", "User:coordinator"), writers(grants, "p.requests"),
        "operators, and the coordinator for its HTTP API, which signs as an operator");
    assertEquals(List.of("User:alice"), writers(grants, "p.enrollments"));
    assertTrue(AclScript.topics(grants, "User:coordinator", AclOperation.READ)
        .contains("p.enrollments"), "the coordinator reads enrollments");
    assertEquals(List.of(), AclScript.topics(grants, "User:subscriber", AclOperation.WRITE));
    assertEquals(List.of(), AclScript.topics(grants, "User:app", AclOperation.WRITE));
  }

  private static List<String> writers(List<AclBinding> grants, String topic) {
    return grants.stream()
        .filter(b -> b.entry().operation() == AclOperation.WRITE
            || b.entry().operation() == AclOperation.ALL)
        .filter(b -> b.pattern().resourceType() == org.apache.kafka.common.resource.ResourceType.TOPIC)
        .filter(b -> b.pattern().patternType() == org.apache.kafka.common.resource.PatternType.LITERAL
            ? b.pattern().name().equals(topic) : topic.startsWith(b.pattern().name()))
        .map(b -> b.entry().principal())
        .distinct()
        .sorted()
        .toList();
  }

  @Test
  void kubernetesTimingsAgree() throws IOException {
    Map<String, Object> agent = deployYaml("kubernetes/config/pg-main-agent.yml");
    Map<String, Object> coordinator = deployYaml("kubernetes/config/coordinator.yml");
    assertLeaseFitsFailover("kubernetes", agent, coordinator);

    Duration deadline = setting(agent, "baton.agent.handover-deadline");
    String statefulSet = Files.readString(DEPLOY.resolve("kubernetes/pg-main.yaml"), StandardCharsets.UTF_8);
    Duration grace = Duration.ofSeconds(Long.parseLong(
        find(statefulSet, "terminationGracePeriodSeconds:\\s*(\\d+)")));
    assertTrue(deadline.compareTo(grace) < 0, "handover-deadline " + deadline
        + " must be shorter than terminationGracePeriodSeconds " + grace);
    Duration preStop = duration(find(statefulSet, "\"handover\",\\s*\"--timeout\",\\s*\"([0-9a-z]+)\""));
    assertTrue(preStop.compareTo(grace) < 0, "the preStop --timeout must end before the grace period");
  }

  /**
   * Issue 9: the agent answers no GET /handover any more, so the preStop hook must POST through
   * {@code baton-agent handover} (exec), with a token from a file, never an httpGet hook.
   */
  @Test
  void thePreStopHandoverPostsWithATokenFromAFile() throws IOException {
    for (Path file : deployFiles()) {
      String text = Files.readString(file, StandardCharsets.UTF_8);
      assertTrue(!Pattern.compile("(?s)httpGet:\\s*\\n\\s*path:\\s*/handover").matcher(text).find()
          && !text.contains("GET /handover"), ROOT.relativize(file) + " still uses GET /handover");
    }
    String statefulSet = Files.readString(DEPLOY.resolve("kubernetes/pg-main.yaml"), StandardCharsets.UTF_8);
    String preStop = find(statefulSet, "(?s)preStop:(.*?)resources:");
    assertTrue(preStop.contains("exec:") && preStop.contains("baton-agent\", \"handover\""),
        "preStop must exec baton-agent handover: " + preStop);
    assertTrue(statefulSet.matches("(?s).*- name: BATON_API_TOKEN_FILE\\s*\\n\\s*value: /etc/baton/secrets/.*"),
        "the agent container must name the handover token file in BATON_API_TOKEN_FILE");
    Map<String, Object> agent = deployYaml("kubernetes/config/pg-main-agent.yml");
    assertTrue(agent.containsKey("baton.api.handover-token-file")
        && agent.containsKey("baton.api.operator-token-file"), "the agents' API tokens: " + agent.keySet());
    assertTrue(agent.containsKey("baton.postgres.ssl-root-cert-file"), "the agents' TLS root");
  }

  @Test
  void systemdAndComposeTimingsAgree() throws IOException {
    Map<String, Object> agent = envFile("systemd/agent.env.example");
    Map<String, Object> coordinator = envFile("systemd/coordinator.env.example");
    assertLeaseFitsFailover("systemd", agent, coordinator);

    String unit = Files.readString(DEPLOY.resolve("systemd/baton-agent@.service"), StandardCharsets.UTF_8);
    Duration stop = Duration.ofSeconds(Long.parseLong(find(unit, "(?m)^TimeoutStopSec=(\\d+)$")));
    for (String key : List.of("baton.agent.handover-deadline", "baton.postgres.stop-timeout")) {
      assertTrue(setting(agent, key).compareTo(stop) < 0,
          "baton-agent@.service: TimeoutStopSec must exceed " + key);
    }
    assertTrue(unit.contains("KillMode=mixed"), "only the agent may get SIGTERM: it stops PostgreSQL");

    String compose = Files.readString(DEPLOY.resolve("compose/compose.yaml"), StandardCharsets.UTF_8);
    assertTrue(setting(Map.of(), "baton.agent.handover-deadline")
            .compareTo(duration(find(compose, "stop_grace_period:\\s*(\\S+)"))) < 0,
        "compose: stop_grace_period must exceed the handover deadline");
  }

  // ---------------------------------------------------------------------------------------------

  private static void assertLeaseFitsFailover(
      String where, Map<String, Object> agent, Map<String, Object> coordinator) {
    Duration fenceAfter = setting(agent, "baton.agent.fence-after");
    Duration margin = setting(coordinator, "baton.coordinator.fencing-margin");
    Duration failoverAfter = setting(coordinator, "baton.coordinator.failover-after");
    assertTrue(fenceAfter.plus(margin).compareTo(failoverAfter) <= 0, where + ": fence-after "
        + fenceAfter + " + fencing-margin " + margin + " must not exceed failover-after " + failoverAfter
        + " (the coordinator would otherwise wait longer for that node than configured)");
  }

  /** A duration from the deployment's settings, else the code's default. */
  private static Duration setting(Map<String, Object> deployed, String key) {
    Object value = deployed.containsKey(key) ? deployed.get(key) : DEFAULTS.get(key);
    assertTrue(value != null, "no value and no default for " + key);
    return duration(value.toString());
  }

  private static Duration duration(String text) {
    Matcher m = Pattern.compile("(\\d+)(ms|s|m|h|d)").matcher(text.strip());
    assertTrue(m.matches(), "not a duration: " + text);
    long n = Long.parseLong(m.group(1));
    return switch (m.group(2)) {
      case "ms" -> Duration.ofMillis(n);
      case "s" -> Duration.ofSeconds(n);
      case "m" -> Duration.ofMinutes(n);
      case "h" -> Duration.ofHours(n);
      default -> Duration.ofDays(n);
    };
  }

  private static String find(String text, String regex) {
    Matcher m = Pattern.compile(regex).matcher(text);
    assertTrue(m.find(), "no match for " + regex);
    return m.group(1);
  }

  private static String resolve(String value, Map<String, String> variables) {
    Matcher m = Pattern.compile("\\$\\{(\\w+)}").matcher(value);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String v = variables.get(m.group(1));
      assertTrue(v != null, "create-topics.sh: no default for ${" + m.group(1) + "}");
      m.appendReplacement(out, Matcher.quoteReplacement(v));
    }
    return m.appendTail(out).toString();
  }

  /** The topics {@link TopicSetup#ensure} creates on an empty Kafka with the code's defaults. */
  @SuppressWarnings("unchecked")
  private static List<NewTopic> topicSetupCreates(TopicNames names, short replication) {
    List<NewTopic> created = new ArrayList<>();
    class Captured extends RuntimeException {}
    Admin admin = (Admin) Proxy.newProxyInstance(
        Admin.class.getClassLoader(), new Class<?>[] {Admin.class}, (proxy, method, args) -> {
          switch (method.getName()) {
            case "listTopics" -> {
              Constructor<ListTopicsResult> c =
                  ListTopicsResult.class.getDeclaredConstructor(KafkaFuture.class);
              c.setAccessible(true);
              return c.newInstance(KafkaFuture.completedFuture(Map.<String, TopicListing>of()));
            }
            case "createTopics" -> {
              created.addAll((Collection<NewTopic>) args[0]);
              throw new Captured();
            }
            default -> throw new UnsupportedOperationException("Admin." + method.getName());
          }
        });
    TopicSetup.Spec spec = new TopicSetup.Spec(
        Integer.parseInt(DEFAULTS.get("baton.topics.partitions")), Optional.of(replication),
        duration(DEFAULTS.get("baton.topics.heartbeat-retention")),
        duration(DEFAULTS.get("baton.topics.request-retention")),
        duration(DEFAULTS.get("baton.topics.events-retention")));
    try {
      TopicSetup.ensure(admin, names, spec);
      fail("TopicSetup created no topic on an empty Kafka");
    } catch (Captured expected) {
      // the creation request is all we wanted
    }
    return created;
  }

  private static void collectKeys(Class<?> type, boolean each) {
    String prefix = each
        ? type.getAnnotation(EachProperty.class).value() + ".*"
        : type.getAnnotation(ConfigurationProperties.class).value();
    assertTrue(type.isRecord(), type + ": only configuration records are understood here");
    RecordComponent[] components = type.getRecordComponents();
    Constructor<?> canonical;
    try {
      canonical = type.getDeclaredConstructor(
          Stream.of(components).map(RecordComponent::getType).toArray(Class<?>[]::new));
    } catch (NoSuchMethodException e) {
      throw new AssertionError(e);
    }
    for (int i = 0; i < components.length; i++) {
      java.lang.reflect.Parameter parameter = canonical.getParameters()[i];
      if (parameter.isAnnotationPresent(Parameter.class)) {
        continue; // the EachProperty name itself
      }
      String key = prefix + "." + kebab(components[i].getName());
      KEYS.add(key);
      if (isMap(components[i].getGenericType())) {
        KEYS.add(key + ".*");
      }
      Bindable bindable = parameter.getAnnotation(Bindable.class);
      if (bindable != null && !bindable.defaultValue().isEmpty()) {
        DEFAULTS.put(key, bindable.defaultValue());
      }
    }
  }

  private static boolean isMap(Type type) {
    if (type instanceof ParameterizedType p) {
      Type raw = p.getRawType();
      return raw == Map.class || (raw == Optional.class && isMap(p.getActualTypeArguments()[0]));
    }
    return type == Map.class;
  }

  private static String kebab(String camel) {
    return camel.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(java.util.Locale.ROOT);
  }

  private static boolean isKey(String key) {
    return KEYS.stream().anyMatch(k -> keyPattern(k, false).matcher(key).matches());
  }

  /** {@code baton.haproxy.clusters}, as in "the clusters under baton.haproxy.clusters". */
  private static boolean isKeyPrefix(String key) {
    return KEYS.stream().anyMatch(k -> keyPattern(k, true).matcher(key).matches());
  }

  private static Pattern keyPattern(String key, boolean prefixOnly) {
    String[] segments = key.split("\\.");
    StringBuilder regex = new StringBuilder();
    for (int i = 0; i < segments.length; i++) {
      if (i > 0) {
        regex.append(prefixOnly ? "(?:\\." : "\\.");
      }
      regex.append(segments[i].equals("*") ? "[A-Za-z0-9_-]+" : Pattern.quote(segments[i]));
    }
    if (prefixOnly) {
      regex.append(")?".repeat(segments.length - 1));
    }
    return Pattern.compile(regex.toString());
  }

  private static Pattern envPattern(String key) {
    StringBuilder regex = new StringBuilder();
    for (String segment : key.split("\\.")) {
      if (regex.length() > 0) {
        regex.append('_');
      }
      regex.append(segment.equals("*")
          ? "[A-Z0-9_]+"
          : Pattern.quote(segment.toUpperCase(java.util.Locale.ROOT).replace('-', '_')));
    }
    return Pattern.compile(regex.toString());
  }

  /** Every key path of a YAML document, and of YAML documents embedded in its strings. */
  private static void yamlKeys(Object node, BiConsumer<String, Object> sink) {
    Map<String, Object> leaves = new LinkedHashMap<>();
    flatten("", node, leaves);
    leaves.forEach((key, value) -> {
      sink.accept(key, value);
      if (value instanceof String s && Pattern.compile("(?m)^baton:\\s*$").matcher(s).find()) {
        // a ConfigMap's application.yml, a compose config's content
        yamlKeys(new Yaml(new SafeConstructor(new LoaderOptions())).load(s), sink);
      }
    });
  }

  @SuppressWarnings("unchecked")
  private static void flatten(String prefix, Object node, Map<String, Object> leaves) {
    if (node instanceof Map<?, ?> map && !map.isEmpty()) {
      ((Map<Object, Object>) map).forEach((k, v) ->
          flatten(prefix.isEmpty() ? String.valueOf(k) : prefix + "." + k, v, leaves));
    } else if (node instanceof List<?> list && list.stream().anyMatch(e -> e instanceof Map)) {
      list.forEach(e -> flatten(prefix, e, leaves)); // e.g. Kubernetes objects in a list
    } else if (!prefix.isEmpty()) {
      leaves.put(prefix, node);
    }
  }

  private static List<Object> parseYaml(Path file) {
    try {
      List<Object> documents = new ArrayList<>();
      new Yaml(new SafeConstructor(new LoaderOptions()))
          .loadAll(Files.readString(file, StandardCharsets.UTF_8))
          .forEach(d -> {
            if (d != null) {
              documents.add(d);
            }
          });
      return documents;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Map<String, Object> deployYaml(String relative) {
    Map<String, Object> leaves = new TreeMap<>();
    flatten("", parseYaml(DEPLOY.resolve(relative)).get(0), leaves);
    return leaves;
  }

  /** A systemd EnvironmentFile's BATON_ settings, by the key each names. */
  private static Map<String, Object> envFile(String relative) throws IOException {
    Map<String, Object> settings = new TreeMap<>();
    for (String line : Files.readAllLines(DEPLOY.resolve(relative))) {
      Matcher m = Pattern.compile("^(BATON_[A-Z0-9_]+)=(.*)$").matcher(line.strip());
      if (m.matches()) {
        KEYS.stream().filter(k -> !k.contains("*") && envPattern(k).matcher(m.group(1)).matches())
            .forEach(k -> settings.put(k, m.group(2)));
      }
    }
    return settings;
  }

  private static boolean isYaml(Path file) {
    String name = file.getFileName().toString();
    return name.endsWith(".yaml") || name.endsWith(".yml") || name.endsWith(".yml.example");
  }

  private static List<Path> deployFiles() throws IOException {
    try (Stream<Path> files = Files.walk(DEPLOY)) {
      return files.filter(Files::isRegularFile).sorted().toList();
    }
  }

  private static List<Path> mainSources() throws IOException {
    List<Path> sources = new ArrayList<>();
    for (Path module : modules()) {
      Path java = module.resolve("src/main/java");
      if (Files.isDirectory(java)) {
        try (Stream<Path> files = Files.walk(java)) {
          files.filter(f -> f.toString().endsWith(".java")).sorted().forEach(sources::add);
        }
      }
    }
    return sources;
  }

  private static List<Path> applicationYamls() throws IOException {
    return modules().stream()
        .map(m -> m.resolve("src/main/resources/application.yml"))
        .filter(Files::isRegularFile)
        .toList();
  }

  private static List<Path> modules() throws IOException {
    try (Stream<Path> dirs = Files.list(ROOT)) {
      return dirs.filter(d -> Files.isRegularFile(d.resolve("pom.xml"))).sorted().toList();
    }
  }

  private static Path repositoryRoot() {
    Path dir = Path.of("").toAbsolutePath();
    while (dir != null && !(Files.isDirectory(dir.resolve("deploy")) && Files.isRegularFile(dir.resolve("pom.xml")))) {
      dir = dir.getParent();
    }
    if (dir == null) {
      throw new IllegalStateException("no repository root with deploy/ above " + Path.of("").toAbsolutePath());
    }
    return dir;
  }
}
