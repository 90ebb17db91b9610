package dev.gatehouse.engine.ast;

/**
 * Where a piece of source starts: file (may be empty for ad-hoc queries), 1-based row and column
 * (columns count Unicode code points, as OPA's do), and the character offset into the source.
 */
public record Location(String file, int row, int col, int offset) {
  public static final Location NONE = new Location("", 0, 0, 0);

  /** {@code file:row} as OPA prints it in error lists, or {@code row:col} when there is no file. */
  @Override
  public String toString() {
    return file.isEmpty() ? row + ":" + col : file + ":" + row;
  }
}
