package io.baton.testkit.process;

/**
 * A child for the process tests: prints who it is, starts a grandchild ({@code sleep}), then
 * prints a tick every 20 ms. With argument {@code exit} it prints one line and exits with 3.
 */
public final class TickerMain {
  private TickerMain() {}

  public static void main(String[] args) throws Exception {
    if (args.length > 0 && args[0].equals("exit")) {
      System.out.println("leaving");
      System.exit(3);
    }
    System.out.println("ready parent=" + System.getProperty(JvmLauncher.PARENT_PID_PROPERTY));
    Process grandchild = new ProcessBuilder("sleep", "600").start();
    System.out.println("grandchild " + grandchild.pid());
    System.err.println("to stderr");
    for (long tick = 0; ; tick++) {
      System.out.println("tick " + tick);
      Thread.sleep(20);
    }
  }
}
