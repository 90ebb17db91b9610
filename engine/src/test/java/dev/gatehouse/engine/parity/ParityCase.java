package dev.gatehouse.engine.parity;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * One case file of {@code src/test/resources/parity}: header lines ({@code key: value}, comments
 * starting with #) and {@code -- name --} sections holding the case's files and what opa
 * recorded for them ({@code scripts/record-parity} writes the {@code opa} section).
 */
record ParityCase(String name, Map<String, String> header, Map<String, String> sections) {
  private static final Pattern SECTION = Pattern.compile("^-- (.+) --$");
  private static final Pattern KEY = Pattern.compile("^(\\w[\\w-]*):\\s*(.*)$");

  static ParityCase read(Path file) {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Map<String, String> header = new LinkedHashMap<>();
    Map<String, String> sections = new LinkedHashMap<>();
    String current = null;
    StringBuilder body = new StringBuilder();
    for (String line : text.split("\n", -1)) {
      Matcher m = SECTION.matcher(line);
      if (m.matches()) {
        if (current != null) {
          sections.put(current, body.toString());
        }
        current = m.group(1);
        body.setLength(0);
      } else if (current == null) {
        Matcher k = KEY.matcher(line);
        if (k.matches()) {
          header.put(k.group(1), k.group(2).strip());
        }
      } else {
        body.append(line).append('\n');
      }
    }
    if (current != null) {
      sections.put(current, body.toString());
    }
    return new ParityCase(file.getFileName().toString(), header, sections);
  }

  /** Every case file below the folder, in name order. */
  static List<ParityCase> all(Path dir) {
    try (Stream<Path> s = Files.walk(dir)) {
      return s.filter(p -> p.toString().endsWith(".txtar")).sorted().map(ParityCase::read).toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The case's files (sections other than the recorded ones), in the order written. */
  Map<String, String> files() {
    Map<String, String> out = new LinkedHashMap<>(sections);
    out.keySet().removeIf(k -> k.equals("opa") || k.startsWith("opa."));
    return out;
  }

  /** What opa recorded, without trailing blank lines. */
  String recorded(String section) {
    String s = sections.get(section);
    if (s == null) {
      throw new IllegalStateException(name + ": no recorded '" + section + "' section; run scripts/record-parity");
    }
    return s.stripTrailing();
  }
}
