package io.baton.agent.postgres;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class DataDirectoryFilesTest {
  /** As the campaign saw it: the reason the server did not start, among turned-away clients. */
  @Test
  void theTailKeepsWhyTheServerStoppedAndDropsClientsTurnedAway() {
    String log = String.join("\n",
        "2026-12-03 19:27:11.747 UTC [1160] LOG:  entering standby mode",
        "2026-12-03 19:27:11.748 UTC [1161] app@app FATAL:  the database system is starting up",
        "2026-12-03 19:27:11.748 UTC [1162] baton_agent@postgres FATAL:  the database system is"
            + " not yet accepting connections",
        "2026-12-03 19:27:11.748 UTC [1162] baton_agent@postgres DETAIL:  Consistent recovery"
            + " state has not been yet reached.",
        "2026-12-03 19:27:11.749 UTC [1160] FATAL:  requested timeline 14 does not contain"
            + " minimum recovery point 0/4E3AD38 on timeline 10",
        "2026-12-03 19:27:11.750 UTC [1163] app@app FATAL:  the database system is starting up");
    assertEquals(String.join("\n",
        "2026-12-03 19:27:11.747 UTC [1160] LOG:  entering standby mode",
        "2026-12-03 19:27:11.749 UTC [1160] FATAL:  requested timeline 14 does not contain"
            + " minimum recovery point 0/4E3AD38 on timeline 10"),
        DataDirectoryFiles.lastLines(DataDirectoryFiles.withoutRefusedLogins(log), 30));
  }
}
