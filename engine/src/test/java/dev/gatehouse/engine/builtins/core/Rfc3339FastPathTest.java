package dev.gatehouse.engine.builtins.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.engine.builtins.BuiltinException;
import dev.gatehouse.engine.value.NumberValue;
import dev.gatehouse.engine.value.Value;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@code time.parse_rfc3339_ns}'s fast path for {@code YYYY-MM-DDTHH:MM:SSZ} must give what the
 * general Go-layout parser gives, and decline (null) every string it does not handle exactly.
 */
class Rfc3339FastPathTest {
  private static String general(String s) {
    try {
      return Times.rfc3339General(s).toString();
    } catch (BuiltinException e) {
      return "error: " + e.getMessage();
    }
  }

  @Test
  void agreesWithTheGeneralParserOnRandomAndBoundaryTimestamps() {
    Random r = new Random(3339);
    List<String> cases = new ArrayList<>(List.of("2026-11-22T08:00:00Z", "1970-01-01T00:00:00Z",
        "2024-02-29T23:59:59Z", "2023-02-29T00:00:00Z", "2026-13-01T00:00:00Z", "2026-00-10T00:00:00Z",
        "2026-04-31T00:00:00Z", "2026-01-00T00:00:00Z", "2026-01-01T24:00:00Z", "2026-01-01T00:60:00Z",
        "2026-01-01T00:00:60Z", "1677-09-21T00:12:44Z", "1677-09-21T00:12:43Z", "2262-04-11T23:47:16Z",
        "2262-04-11T23:47:17Z", "0000-01-01T00:00:00Z", "9999-12-31T23:59:59Z", "2026-11-22t08:00:00Z",
        "2026-11-22T08:00:00z", "2026-11-22T08:00:0AZ", "2026-11-22 08:00:00Z", "+026-11-22T08:00:00Z"));
    for (int i = 0; i < 20_000; i++) {
      cases.add(String.format("%04d-%02d-%02dT%02d:%02d:%02dZ", i % 2 == 0 ? r.nextInt(10_000) : 1600 + r.nextInt(700), r.nextInt(14), r.nextInt(33),
          r.nextInt(26), r.nextInt(62), r.nextInt(62)));
    }
    int fast = 0;
    for (String s : cases) {
      NumberValue v = Times.rfc3339Utc(s);
      if (v != null) {
        fast++;
        assertThat(v.toString()).as(s).isEqualTo(general(s));
      }
    }
    assertThat(fast).isGreaterThan(5_000);
    assertThat(Times.rfc3339Utc("2026-11-22T08:00:00Z")).isEqualTo(NumberValue.of(1_795_334_400_000_000_000L));
    // declined: the general parser decides (and words the error)
    for (String s : List.of("2023-02-29T00:00:00Z", "2026-01-01T24:00:00Z", "2262-04-11T23:47:17Z",
        "2026-11-22t08:00:00Z", "2026-11-22T08:00:00.5Z", "2026-11-22T08:00:00+01:00")) {
      assertThat(Times.rfc3339Utc(s)).as(s).isNull();
    }
    Value general = Times.rfc3339General("2026-11-22T08:00:00+01:00");
    assertThat(general).isEqualTo(NumberValue.of(1_795_330_800_000_000_000L));
  }
}
