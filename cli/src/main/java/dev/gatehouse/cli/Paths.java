package dev.gatehouse.cli;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/** URL path segments from user input (ids), encoded so that an id never changes the path. */
final class Paths {
  private Paths() {}

  static String segment(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
  }
}
