package io.baton.benchmark.campaign;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.baton.benchmark.MachineFacts;
import io.baton.benchmark.Statistics;
import io.baton.benchmark.campaign.CampaignResult.AppliedFault;
import io.baton.benchmark.campaign.CampaignResult.StepRecord;
import io.baton.benchmark.campaign.check.LostWrite;
import io.baton.benchmark.campaign.check.Violation;
import io.baton.benchmark.campaign.fault.FaultCatalog;
import io.baton.events.Amounts;
import io.baton.testkit.probe.Outage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * A campaign's results: a summary for people, every violation with the seed and the schedule up
 * to it (to replay it), and the whole run as JSON for machines.
 */
public final class CampaignReport {
  private CampaignReport() {}

  /** The summary of one campaign, its violations in full. */
  public static String render(CampaignResult result) {
    StringBuilder text = new StringBuilder();
    int faults = result.faultsInjected();
    text.append("Fault campaign, seed ").append(result.settings().seed()).append(", ")
        .append(result.settings().mode().wire()).append(" mode: ").append(faults)
        .append(" faults in ").append(result.steps().size()).append(" steps, ")
        .append(seconds(result.took())).append(faults == 0 ? "" : " (" + seconds(
            result.took().dividedBy(faults)) + " per fault)").append('\n');
    result.stoppedEarly().ifPresent(why -> text.append("STOPPED EARLY: ").append(why)
        .append('\n'));
    text.append("faults by kind: ").append(faultsByKind(result).entrySet().stream()
        .map(e -> e.getKey() + " " + e.getValue())
        .collect(java.util.stream.Collectors.joining(", "))).append('\n');
    List<Double> converge = convergenceMillis(result);
    text.append("time to converge after the heal: ").append(converge.isEmpty() ? "-"
        : "median " + Amounts.millis(Statistics.median(converge)) + ", max "
            + Amounts.millis(converge.stream().mapToDouble(d -> d).max().orElse(0)) + " ("
            + converge.size() + " steps)").append('\n');
    Optional<Outage> longest = result.client().longestOutage();
    text.append("client: ").append(result.client().acknowledged().size())
        .append(" writes acknowledged, ").append(result.client().outages().size())
        .append(" write outages, the longest ").append(longest.map(o -> Amounts.millis(
            o.duration().toMillis()) + " (step " + stepAt(result, o.startNanos()) + ")")
            .orElse("-")).append('\n');
    text.append("acknowledged writes missing on the final primary: ")
        .append(result.history().onFinalPrimary().isEmpty() ? "not checked (no final primary)"
            : lostByCause(result)).append('\n');
    result.notes().forEach(n -> text.append("note: ").append(n).append('\n'));
    List<Violation> violations = result.verdict().violations();
    text.append(violations.isEmpty() ? "no violations\n"
        : "VIOLATIONS: " + violations.size() + "\n" + violations(result));
    text.append("log: ").append(result.log()).append('\n');
    return text.toString();
  }

  /** Every violation with the seed, the replay command and the schedule up to it. */
  public static String violations(CampaignResult result) {
    StringBuilder text = new StringBuilder();
    int n = 0;
    for (Violation violation : result.verdict().violations()) {
      int step = stepAt(result, violation.atNanos());
      int faults = result.schedule().stream().filter(s -> s.number() <= step)
          .mapToInt(s -> s.faults().size()).sum();
      text.append(String.format(Locale.ROOT, "%d. [%s] at %s, in step %d (seed %d, %s mode):"
              + " %s%n", ++n, violation.rule().label(), result.history().at(violation.atNanos()),
              step, result.settings().seed(), result.settings().mode().wire(),
              violation.description()))
          .append("   replay: ").append(result.settings().replay(Math.max(1, faults)))
          .append('\n').append("   schedule up to it:\n");
      for (StepRecord record : result.steps()) {
        if (record.step().number() > step) {
          break;
        }
        text.append("     ").append(result.history().at(record.startNanos())).append(' ')
            .append(record.step().describe()).append('\n');
        for (AppliedFault fault : record.faults()) {
          text.append("       [").append(fault.plan().fault().kind()).append("] ")
              .append(fault.injected()).append("; healed at ")
              .append(result.history().at(fault.healedNanos())).append(": ")
              .append(fault.healed()).append('\n');
        }
      }
    }
    return text.toString();
  }

  /** The step running at a moment (1 before the first step began). */
  static int stepAt(CampaignResult result, long nanos) {
    int step = 1;
    for (StepRecord record : result.steps()) {
      if (nanos - record.startNanos() >= 0) {
        step = record.step().number();
      }
    }
    return step;
  }

  static Map<String, Integer> faultsByKind(CampaignResult result) {
    Map<String, Integer> counts = new LinkedHashMap<>();
    FaultCatalog.kinds().forEach(k -> counts.put(k.name(), 0));
    result.steps().forEach(s -> s.faults().forEach(
        f -> counts.merge(f.plan().fault().kind(), 1, Integer::sum)));
    return counts;
  }

  private static List<Double> convergenceMillis(CampaignResult result) {
    return result.verdict().convergenceTimes().stream().map(d -> (double) d.toMillis()).toList();
  }

  private static String lostByCause(CampaignResult result) {
    List<LostWrite> lost = result.verdict().lostWrites();
    if (lost.isEmpty()) {
      return "none";
    }
    Map<LostWrite.Cause, Long> byCause = new LinkedHashMap<>();
    lost.forEach(l -> byCause.merge(l.cause(), 1L, Long::sum));
    return byCause.entrySet().stream()
        .map(e -> e.getValue() + " " + e.getKey().name().toLowerCase(Locale.ROOT).replace('_', ' ')
            + (e.getKey().isViolation() ? " (violation)" : " (allowed)"))
        .collect(java.util.stream.Collectors.joining(", "));
  }

  private static String seconds(Duration duration) {
    long s = duration.toSeconds();
    return s >= 60 ? (s / 60) + " min " + (s % 60) + " s" : String.format(Locale.ROOT,
        "%.1f s", duration.toMillis() / 1000.0);
  }

  /** Every campaign of one invocation as JSON. */
  public static ObjectNode json(ObjectMapper mapper, MachineFacts machine,
      List<CampaignResult> results) {
    ObjectNode root = mapper.createObjectNode();
    root.put("benchmark", "baton-fault-campaign");
    root.put("writtenAt", java.time.Instant.now().toString());
    root.put("cores", machine.cores());
    root.put("postgres", machine.postgres());
    root.put("kafka", machine.kafka());
    root.put("batonCommit", machine.batonCommit());
    root.put("clocks", "every stamp is CLOCK_MONOTONIC in seconds since the campaign began;"
        + " master records are stamped when the campaign read them");
    ArrayNode campaigns = root.putArray("campaigns");
    results.forEach(r -> campaigns.add(campaign(mapper, r)));
    return root;
  }

  private static ObjectNode campaign(ObjectMapper mapper, CampaignResult result) {
    ObjectNode node = mapper.createObjectNode();
    node.put("seed", result.settings().seed());
    node.put("mode", result.settings().mode().wire());
    node.put("faultsRequested", result.settings().faults());
    node.put("faultsInjected", result.faultsInjected());
    node.put("steps", result.steps().size());
    node.put("tookSeconds", round(result.took().toMillis() / 1000.0));
    if (result.faultsInjected() > 0) {
      node.put("secondsPerFault",
          round(result.took().toMillis() / 1000.0 / result.faultsInjected()));
    }
    result.stoppedEarly().ifPresent(why -> node.put("stoppedEarly", why));
    node.put("replay", result.settings().replay(result.settings().faults()));
    ObjectNode kinds = node.putObject("faultsByKind");
    faultsByKind(result).forEach(kinds::put);
    List<Double> converge = convergenceMillis(result);
    ObjectNode convergence = node.putObject("convergenceMs");
    convergence.put("count", converge.size());
    if (!converge.isEmpty()) {
      convergence.put("median", round(Statistics.median(converge)));
      convergence.put("max", round(converge.stream().mapToDouble(d -> d).max().orElse(0)));
    }
    ObjectNode client = node.putObject("client");
    client.put("acknowledged", result.client().acknowledged().size());
    client.put("outages", result.client().outages().size());
    result.client().longestOutage().ifPresent(o -> {
      client.put("longestOutageMs", o.duration().toMillis());
      client.put("longestOutageStep", stepAt(result, o.startNanos()));
    });
    ArrayNode outages = client.putArray("longestOutages");
    result.client().outages().stream()
        .sorted(Comparator.comparing(Outage::duration).reversed()).limit(10)
        .forEach(o -> outages.addObject()
            .put("at", result.history().at(o.startNanos()))
            .put("step", stepAt(result, o.startNanos()))
            .put("ms", o.duration().toMillis())
            .put("firstError", o.firstError()));
    ObjectNode lost = node.putObject("lostWrites");
    lost.put("checked", result.history().onFinalPrimary().isPresent());
    for (LostWrite.Cause cause : LostWrite.Cause.values()) {
      lost.put(cause.name().toLowerCase(Locale.ROOT),
          result.verdict().lostWrites().stream().filter(l -> l.cause() == cause).count());
    }
    ArrayNode violations = node.putArray("violations");
    for (Violation v : result.verdict().violations()) {
      int step = stepAt(result, v.atNanos());
      violations.addObject().put("rule", v.rule().name().toLowerCase(Locale.ROOT))
          .put("at", result.history().at(v.atNanos()))
          .put("step", step)
          .put("description", v.description())
          .put("replay", result.settings().replay(result.schedule().stream()
              .filter(s -> s.number() <= step).mapToInt(s -> s.faults().size()).sum()));
    }
    ArrayNode notes = node.putArray("notes");
    result.notes().forEach(notes::add);
    ArrayNode steps = node.putArray("schedule");
    for (StepRecord record : result.steps()) {
      ObjectNode step = steps.addObject();
      step.put("step", record.step().number());
      step.put("at", result.history().at(record.startNanos()));
      step.put("plan", record.step().describe());
      ArrayNode applied = step.putArray("faults");
      for (AppliedFault fault : record.faults()) {
        applied.addObject().put("kind", fault.plan().fault().kind())
            .put("injectedAt", result.history().at(fault.injectedNanos()))
            .put("injected", fault.injected())
            .put("healedAt", result.history().at(fault.healedNanos()))
            .put("healed", fault.healed());
      }
      step.put("healedAt", result.history().at(record.healedNanos()));
      record.convergence().convergedNanos().ifPresentOrElse(
          at -> step.put("convergedMs", Duration.ofNanos(at - record.healedNanos()).toMillis()),
          () -> step.put("notConverged", record.convergence().lastSeen()));
    }
    node.put("log", result.log().toString());
    return node;
  }

  private static double round(double value) {
    return Math.round(value * 10) / 10.0;
  }

  /** Writes the JSON through a temporary file, so a reader never sees half of it. */
  public static void writeJson(Path file, MachineFacts machine, List<CampaignResult> results)
      throws IOException {
    ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    Path parent = file.toAbsolutePath().getParent();
    Files.createDirectories(parent);
    Path temporary = parent.resolve(file.getFileName() + ".tmp");
    mapper.writeValue(temporary.toFile(), json(mapper, machine, results));
    Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING,
        StandardCopyOption.ATOMIC_MOVE);
  }
}
