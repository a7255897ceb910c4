package io.baton.testkit.cleanup;

import io.baton.testkit.kafka.EmbeddedKafka;
import io.baton.testkit.netns.NetworkLab;
import io.baton.testkit.postgres.PostgresCluster;
import io.baton.testkit.process.ChildProcess;
import io.baton.testkit.process.JvmLauncher;
import io.baton.testkit.process.TickerMain;
import java.time.Duration;

/**
 * A test JVM that forgets to close anything: starts one of each resource, prints what it
 * started, and waits to be terminated, leaving the clean-up to the shutdown hook.
 */
public final class LeakyMain {
  private LeakyMain() {}

  public static void main(String[] args) throws Exception {
    NetworkLab lab = NetworkLab.create(1);
    System.out.println("namespace " + lab.namespace(1).name());
    EmbeddedKafka kafka = EmbeddedKafka.start();
    System.out.println("kafka " + kafka.bootstrapServers());
    PostgresCluster cluster = PostgresCluster.builder().nodes(1).build();
    cluster.startManually(cluster.primary());
    System.out.println("postgres " + cluster.baseDir() + " "
        + cluster.postmasterPid(cluster.primary()).orElseThrow());
    ChildProcess child = JvmLauncher.mainClass(TickerMain.class).start();
    child.awaitLogLine(l -> l.startsWith("tick"), Duration.ofSeconds(30));
    System.out.println("child " + child.pid());
    System.out.println("ready");
    Thread.sleep(Long.MAX_VALUE);
  }
}
