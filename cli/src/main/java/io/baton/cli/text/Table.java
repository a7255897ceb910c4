package io.baton.cli.text;

import io.baton.events.Printable;
import java.util.ArrayList;
import java.util.List;

/**
 * A plain-text table in the style of {@code pg_autoctl show state}: columns separated by
 * {@code " | "}, a dashed rule under the header. The last column is not padded, so a long detail
 * does not push trailing blanks onto every line. Cells hold text from records: their control
 * characters are escaped, so a cell never breaks its row.
 */
public final class Table {
  private final List<String> header;
  private final List<List<String>> rows = new ArrayList<>();

  public Table(List<String> header) {
    this.header = List.copyOf(header);
  }

  public Table row(List<String> cells) {
    if (cells.size() != header.size()) {
      throw new IllegalArgumentException(
          "a row of " + cells.size() + " cells for " + header.size() + " columns");
    }
    rows.add(cells.stream().map(Printable::escape).toList());
    return this;
  }

  public String render() {
    int[] widths = new int[header.size()];
    for (int c = 0; c < widths.length; c++) {
      widths[c] = header.get(c).length();
      for (List<String> row : rows) {
        widths[c] = Math.max(widths[c], row.get(c).length());
      }
    }
    StringBuilder text = new StringBuilder();
    line(text, header, widths);
    for (int c = 0; c < widths.length; c++) {
      text.append(c == 0 ? "" : "-+-").append("-".repeat(widths[c]));
    }
    text.append('\n');
    rows.forEach(row -> line(text, row, widths));
    return text.toString();
  }

  private static void line(StringBuilder text, List<String> cells, int[] widths) {
    StringBuilder line = new StringBuilder();
    for (int c = 0; c < cells.size(); c++) {
      String cell = cells.get(c);
      line.append(c == 0 ? "" : " | ").append(cell);
      if (c < cells.size() - 1) {
        line.append(" ".repeat(widths[c] - cell.length()));
      }
    }
    text.append(line.toString().stripTrailing()).append('\n');
  }
}
