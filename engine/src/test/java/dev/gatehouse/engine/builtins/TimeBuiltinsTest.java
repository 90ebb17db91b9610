package dev.gatehouse.engine.builtins;

import static dev.gatehouse.engine.builtins.RegoEval.eval;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Go time layouts, zones, calendar arithmetic and durations. Recorded with OPA v1.22.2. */
class TimeBuiltinsTest {

  @Test
  void parseErrorsQuoteTheValueLayoutAndElementAsGoDoes() {
    assertThat(eval("time.parse_rfc3339_ns(\"2017-06-02 19:00:00Z\")")).isEqualTo("ERR eval_builtin_error "
        + "time.parse_rfc3339_ns: parsing time \"2017-06-02 19:00:00Z\" as \"2006-01-02T15:04:05Z07:00\": cannot parse "
        + "\" 19:00:00Z\" as \"T\"");
    assertThat(eval("time.parse_rfc3339_ns(\"2017-02-30T19:00:00Z\")")).isEqualTo(
        "ERR eval_builtin_error time.parse_rfc3339_ns: parsing time \"2017-02-30T19:00:00Z\": day out of range");
  }

  @Test
  void nanosecondsOutsideInt64AreOutOfRange() {
    assertThat(eval("time.parse_rfc3339_ns(\"2262-04-11T23:47:16.854775808Z\")"))
        .isEqualTo("ERR eval_builtin_error time.parse_rfc3339_ns: time outside of valid range");
    assertThat(eval("time.parse_rfc3339_ns(\"1677-09-21T00:12:43.145224192Z\")")).isEqualTo("-9223372036854775808");
  }

  @Test
  void namedLayoutsAndIanaZonesFormat() {
    assertThat(eval("time.format([1500000000123456789, \"Europe/Paris\", \"Mon, 02 Jan 2006 15:04:05 MST\"])"))
        .isEqualTo("\"Fri, 14 Jul 2017 04:40:00 CEST\"");
    assertThat(eval("time.format([1500000000123456789, \"Asia/Kolkata\", \"RFC822Z\"])"))
        .isEqualTo("\"14 Jul 17 08:10 +0530\"");
    assertThat(eval("time.format(1500000000123456789)")).isEqualTo("\"2017-07-14T02:40:00.123456789Z\"");
    assertThat(eval("time.format([0, \"Not/AZone\"])"))
        .isEqualTo("ERR eval_builtin_error time.format: unknown time zone Not/AZone");
  }

  @Test
  void addDateNormalisesOverflowingDays() {
    // 2020-01-31 + 1 month is March 2nd
    assertThat(eval("time.add_date(1580428800000000000, 0, 1, 0)")).isEqualTo("1583107200000000000");
  }

  @Test
  void diffBorrowsDaysFromTheFirstTimesMonth() {
    assertThat(eval("time.diff(1580428800000000000, 1583020800000000000)")).isEqualTo("[0,1,1,0,0,0]");
  }

  @Test
  void durationsFollowGoPlusDaysWeeksAndYears() {
    assertThat(eval("time.parse_duration_ns(\"1.5h\")")).isEqualTo("5400000000000");
    assertThat(eval("time.parse_duration_ns(\"1w2d3h\")")).isEqualTo("788400000000000");
    assertThat(eval("time.parse_duration_ns(\"1µs\")")).isEqualTo("1000");
    assertThat(eval("time.parse_duration_ns(\"-2562047h47m16.854775808s\")")).isEqualTo("-9223372036854775808");
    assertThat(eval("time.parse_duration_ns(\"2562047h47m16.854775808s\")")).isEqualTo(
        "ERR eval_builtin_error time.parse_duration_ns: time: invalid duration \"2562047h47m16.854775808s\"");
    assertThat(eval("time.parse_duration_ns(\"1x\")"))
        .isEqualTo("ERR eval_builtin_error time.parse_duration_ns: time: unknown unit \"x\" in duration \"1x\"");
  }
}
