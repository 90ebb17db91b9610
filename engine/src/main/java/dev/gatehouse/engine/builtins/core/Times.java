package dev.gatehouse.engine.builtins.core;

import static dev.gatehouse.engine.builtins.core.Def.def;
import static dev.gatehouse.engine.types.Types.ANY;
import static dev.gatehouse.engine.types.Types.NUMBER;
import static dev.gatehouse.engine.types.Types.STRING;
import static dev.gatehouse.engine.types.Types.any;
import static dev.gatehouse.engine.types.Types.arrayOf;
import static dev.gatehouse.engine.types.Types.tuple;

import dev.gatehouse.engine.builtins.Builtin;
import dev.gatehouse.engine.builtins.BuiltinContext;
import dev.gatehouse.engine.builtins.BuiltinException;
import dev.gatehouse.engine.value.ArrayValue;
import dev.gatehouse.engine.value.NumberValue;
import dev.gatehouse.engine.value.StringValue;
import dev.gatehouse.engine.value.Value;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.TextStyle;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** time.*: nanoseconds since the epoch, Go layouts, Go durations, IANA zones. */
final class Times {
  private static final BigInteger NANOS = BigInteger.valueOf(1_000_000_000L);
  private static final Map<String, GoLayout> LAYOUTS = new ConcurrentHashMap<>();
  private static final Set<String> ZONES = ZoneId.getAvailableZoneIds();

  private Times() {}

  static List<Builtin> all() {
    return List.of(
        def("time.now_ns", "Returns the current time since epoch in nanoseconds.")
            .returns("now", "nanoseconds since epoch", NUMBER)
            .nondeterministic()
            .impl((c, a) -> NumberValue.of(c.nowNanos())),
        def("time.parse_ns", "Returns the time in nanoseconds parsed from the string in the given format. `undefined` if "
                + "the result would be outside the valid time range that can fit within an `int64`.")
            .arg("layout", "format used for parsing, see the [Go `time` package "
                + "documentation](https://golang.org/pkg/time/#Parse) for more details", STRING)
            .arg("value", "input to parse according to `layout`", STRING)
            .returns("ns", "`value` in nanoseconds since epoch", NUMBER)
            .impl(Times::parseNs),
        def("time.parse_rfc3339_ns", "Returns the time in nanoseconds parsed from the string in RFC3339 format. `undefined` if "
                + "the result would be outside the valid time range that can fit within an `int64`.")
            .arg("value", "input string to parse in RFC3339 format", STRING)
            .returns("ns", "`value` in nanoseconds since epoch", NUMBER)
            .impl(Times::parseRfc3339),
        def("time.parse_duration_ns", "Returns the duration in nanoseconds represented by a string.")
            .arg("duration", "a duration like \"3m\"; see the [OPA `Duration Parsing` "
                + "documentation](https://www.openpolicyagent.org/docs/latest/policy-reference/builtins/time#duration-parsing) "
                + "for more details", STRING)
            .returns("ns", "the `duration` in nanoseconds", NUMBER)
            .impl((c, a) -> NumberValue.of(GoDuration.parseExtended(Args.str(a, 0)))),
        def("time.format", "Returns the formatted timestamp for the nanoseconds since epoch.")
            .arg("x", "a number representing the nanoseconds since the epoch (UTC); or a two-element array of the "
                + "nanoseconds, and a timezone string; or a three-element array of ns, timezone string and a "
                + "layout string or golang defined formatting constant (see golang supported time formats)", any(NUMBER, tuple(NUMBER, STRING), tuple(NUMBER, STRING, STRING)))
            .returns("formatted timestamp", "the formatted timestamp represented for the nanoseconds since the epoch in the supplied "
                + "timezone (or UTC)", STRING)
            .impl(Times::format),
        def("time.date", "Returns the `[year, month, day]` for the nanoseconds since epoch.")
            .arg("x", "a number representing the nanoseconds since the epoch (UTC); or a two-element array of the "
                + "nanoseconds, and a timezone string", any(NUMBER, tuple(NUMBER, STRING)))
            .returns("date", "an array of `year`, `month` (1-12), and `day` (1-31)", tuple(NUMBER, NUMBER, NUMBER))
            .impl(Times::date),
        def("time.clock", "Returns the `[hour, minute, second]` of the day for the nanoseconds since epoch.")
            .arg("x", "a number representing the nanoseconds since the epoch (UTC); or a two-element array of the "
                + "nanoseconds, and a timezone string", any(NUMBER, tuple(NUMBER, STRING)))
            .returns("output", "the `hour`, `minute` (0-59), and `second` (0-59) representing the time of day for the "
                + "nanoseconds since epoch in the supplied timezone (or UTC)", tuple(NUMBER, NUMBER, NUMBER))
            .impl(Times::clock),
        def("time.weekday", "Returns the day of the week (Monday, Tuesday, ...) for the nanoseconds since epoch.")
            .arg("x", "a number representing the nanoseconds since the epoch (UTC); or a two-element array of the "
                + "nanoseconds, and a timezone string", any(NUMBER, tuple(NUMBER, STRING)))
            .returns("day", "the weekday represented by `ns` nanoseconds since the epoch in the supplied timezone (or "
                + "UTC)", STRING)
            .impl(Times::weekday),
        def("time.add_date", "Returns the nanoseconds since epoch after adding years, months and days to nanoseconds. "
                + "Month & day values outside their usual ranges after the operation and will be normalized - "
                + "for example, October 32 would become November 1. `undefined` if the result would be "
                + "outside the valid time range that can fit within an `int64`.")
            .arg("ns", "nanoseconds since the epoch", NUMBER)
            .arg("years", "number of years to add", NUMBER)
            .arg("months", "number of months to add", NUMBER)
            .arg("days", "number of days to add", NUMBER)
            .returns("output", "nanoseconds since the epoch representing the input time, with years, months and days added", NUMBER)
            .impl(Times::addDate),
        def("time.diff", "Returns the difference between two unix timestamps in nanoseconds (with optional timezone "
                + "strings).")
            .arg("ns1", "nanoseconds since the epoch; or a two-element array of the nanoseconds, and a timezone "
                + "string", any(NUMBER, tuple(NUMBER, STRING)))
            .arg("ns2", "nanoseconds since the epoch; or a two-element array of the nanoseconds, and a timezone "
                + "string", any(NUMBER, tuple(NUMBER, STRING)))
            .returns("output", "difference between `ns1` and `ns2` (in their supplied timezones, if supplied, or UTC) as "
                + "array of numbers: `[years, months, days, hours, minutes, seconds]`", tuple(NUMBER, NUMBER, NUMBER, NUMBER, NUMBER, NUMBER))
            .impl(Times::diff));
  }

  private static GoLayout layout(String layout) {
    GoLayout l = LAYOUTS.get(layout);
    if (l == null) {
      l = GoLayout.compile(layout);
      if (LAYOUTS.size() < Regexes.CACHE_LIMIT) {
        LAYOUTS.put(layout, l);
      }
    }
    return l;
  }

  private static Value parseNs(BuiltinContext c, Value[] a) {
    String layout = Args.str(a, 0);
    String value = Args.str(a, 1);
    return parse(GoLayout.NAMED.getOrDefault(layout, layout), value);
  }

  private static Value parseRfc3339(BuiltinContext c, Value[] a) {
    String s = Args.str(a, 0);
    NumberValue fast = rfc3339Utc(s);
    return fast != null ? fast : parse(GoLayout.NAMED.get("RFC3339"), s);
  }

  /**
   * The common shape {@code 2026-11-22T08:00:00Z}, parsed directly (the general layout parser
   * costs about half a microsecond, which a grant check pays three times per decision). Null for
   * anything else, including out-of-range fields and times outside int64 nanoseconds, which the
   * general parser handles (and words its errors for) exactly as before.
   */
  static NumberValue rfc3339Utc(String s) {
    if (s.length() != 20 || s.charAt(4) != '-' || s.charAt(7) != '-' || s.charAt(10) != 'T' || s.charAt(13) != ':'
        || s.charAt(16) != ':' || s.charAt(19) != 'Z') {
      return null;
    }
    int year = digits(s, 0, 4);
    int month = digits(s, 5, 2);
    int day = digits(s, 8, 2);
    int hour = digits(s, 11, 2);
    int minute = digits(s, 14, 2);
    int second = digits(s, 17, 2);
    if (year < 0 || month < 1 || month > 12 || day < 1 || hour < 0 || hour > 23 || minute < 0 || minute > 59
        || second < 0 || second > 59 || day > java.time.YearMonth.of(year, month).lengthOfMonth()) {
      return null;
    }
    long epochSecond = java.time.LocalDate.of(year, month, day).toEpochDay() * 86_400L + hour * 3_600L + minute * 60L + second;
    // int64 nanoseconds hold 1677-09-21 to 2262-04-11; beyond, the general path reports the error
    if (epochSecond <= -9_223_372_036L || epochSecond >= 9_223_372_036L) {
      return null;
    }
    return NumberValue.of(epochSecond * 1_000_000_000L);
  }

  /** The decimal number in s[from, from + n), or -1 when one of those is not an ASCII digit. */
  private static int digits(String s, int from, int n) {
    int v = 0;
    for (int i = from; i < from + n; i++) {
      char c = s.charAt(i);
      if (c < '0' || c > '9') {
        return -1;
      }
      v = v * 10 + (c - '0');
    }
    return v;
  }

  /** The general path, for tests that compare it with {@link #rfc3339Utc}. */
  static Value rfc3339General(String s) {
    return parse(GoLayout.NAMED.get("RFC3339"), s);
  }

  private static Value parse(String layout, String value) {
    Instant t;
    try {
      t = layout(layout).parse(value);
    } catch (GoLayout.ParseException e) {
      throw BuiltinException.error(e.getMessage());
    }
    return nanos(t);
  }

  /** OPA's toSafeUnixNano: the instant in nanoseconds, if it fits in an int64. */
  private static NumberValue nanos(Instant t) {
    BigInteger ns = BigInteger.valueOf(t.getEpochSecond()).multiply(NANOS).add(BigInteger.valueOf(t.getNano()));
    if (ns.bitLength() >= 64) {
      throw BuiltinException.error("time outside of valid range");
    }
    return NumberValue.of(ns.longValue());
  }

  /** A time operand: ns, or [ns, tz] / [ns, tz, layout]; returns the time and the layout (or null). */
  private record TzTime(ZonedDateTime time, String layout) {}

  private static TzTime tzTime(Value v) {
    Value n;
    ZoneId zone = ZoneOffset.UTC;
    String layout = null;
    if (v instanceof ArrayValue arr) {
      if (arr.size() == 0) {
        throw BuiltinException.operandType(1, v, "either number (ns) or [number (ns), string (tz)]");
      }
      if (!(arr.get(0) instanceof NumberValue)) {
        throw BuiltinException.operandType(1, arr.get(0), "number");
      }
      n = arr.get(0);
      if (arr.size() > 1) {
        if (!(arr.get(1) instanceof StringValue tz)) {
          throw BuiltinException.operandType(1, arr.get(1), "string");
        }
        zone = zone(tz.value());
      }
      if (arr.size() > 2) {
        if (!(arr.get(2) instanceof StringValue l)) {
          throw BuiltinException.operandType(1, arr.get(2), "string");
        }
        layout = l.value();
      }
    } else if (v instanceof NumberValue) {
      n = v;
    } else {
      throw BuiltinException.operandType(1, v, "either number (ns) or [number (ns), string (tz)]");
    }
    return new TzTime(toTime((NumberValue) n, zone), layout);
  }

  private static ZoneId zone(String tz) {
    switch (tz) {
      case "", "UTC":
        return ZoneOffset.UTC;
      case "Local":
        return ZoneId.systemDefault();
      default:
        if (!ZONES.contains(tz)) {
          throw BuiltinException.error("unknown time zone " + tz);
        }
        try {
          return ZoneId.of(tz);
        } catch (DateTimeException e) {
          throw BuiltinException.error("unknown time zone " + tz);
        }
    }
  }

  /** The number (through a 64-bit float, as OPA reads it) as an exact int64 of nanoseconds, in zone. */
  private static ZonedDateTime toTime(NumberValue n, ZoneId zone) {
    BigDecimal f = Arith.toFloat(n);
    if (f.stripTrailingZeros().scale() > 0) {
      throw BuiltinException.error("timestamp too big");
    }
    BigInteger ns = f.toBigIntegerExact();
    if (ns.bitLength() >= 64) {
      throw BuiltinException.error("timestamp too big");
    }
    long v = ns.longValue();
    return Instant.ofEpochSecond(Math.floorDiv(v, 1_000_000_000L), Math.floorMod(v, 1_000_000_000L)).atZone(zone);
  }

  private static Value format(BuiltinContext c, Value[] a) {
    TzTime t = tzTime(a[0]);
    String layout = t.layout() == null || t.layout().isEmpty() ? GoLayout.NAMED.get("RFC3339Nano")
        : GoLayout.NAMED.getOrDefault(t.layout(), t.layout());
    return StringValue.of(layout(layout).format(t.time()));
  }

  private static Value date(BuiltinContext c, Value[] a) {
    ZonedDateTime t = tzTime(a[0]).time();
    return ArrayValue.of(NumberValue.of(t.getYear()), NumberValue.of(t.getMonthValue()), NumberValue.of(t.getDayOfMonth()));
  }

  private static Value clock(BuiltinContext c, Value[] a) {
    ZonedDateTime t = tzTime(a[0]).time();
    return ArrayValue.of(NumberValue.of(t.getHour()), NumberValue.of(t.getMinute()), NumberValue.of(t.getSecond()));
  }

  private static Value weekday(BuiltinContext c, Value[] a) {
    ZonedDateTime t = tzTime(a[0]).time();
    return StringValue.of(t.getDayOfWeek().getDisplayName(TextStyle.FULL, Locale.ENGLISH));
  }

  /** Go's AddDate: add to year, month and day, then normalise (Oct 31 + 1 month is Dec 1), in the time's zone. */
  private static Value addDate(BuiltinContext c, Value[] a) {
    ZonedDateTime t = tzTime(a[0]).time();
    long years = Args.intOperand(a, 1);
    long months = Args.intOperand(a, 2);
    long days = Args.intOperand(a, 3);
    long totalMonths = t.getYear() * 12L + (t.getMonthValue() - 1) + years * 12 + months;
    long y = Math.floorDiv(totalMonths, 12);
    int m = (int) Math.floorMod(totalMonths, 12) + 1;
    if (y < -1_000_000 || y > 1_000_000 || Math.abs(days) > 1_000_000_000L) {
      throw BuiltinException.error("time outside of valid range");
    }
    LocalDateTime local = LocalDateTime.of((int) y, m, 1, t.getHour(), t.getMinute(), t.getSecond(), t.getNano())
        .plusDays(t.getDayOfMonth() - 1L + days);
    return nanos(local.atZone(t.getZone()).toInstant());
  }

  private static Value diff(BuiltinContext c, Value[] a) {
    ZonedDateTime t1 = tzTime(a[0]).time();
    ZonedDateTime t2 = tzTime(a[1]).time();
    t2 = t2.withZoneSameInstant(t1.getZone());
    if (t1.isAfter(t2)) {
      ZonedDateTime tmp = t1;
      t1 = t2;
      t2 = tmp;
    }
    int year = t2.getYear() - t1.getYear();
    int month = t2.getMonthValue() - t1.getMonthValue();
    int day = t2.getDayOfMonth() - t1.getDayOfMonth();
    int hour = t2.getHour() - t1.getHour();
    int min = t2.getMinute() - t1.getMinute();
    int sec = t2.getSecond() - t1.getSecond();
    if (sec < 0) {
      sec += 60;
      min--;
    }
    if (min < 0) {
      min += 60;
      hour--;
    }
    if (hour < 0) {
      hour += 24;
      day--;
    }
    if (day < 0) {
      // the length of t1's month, as Go's Date(y1, M1, 32) normalisation reveals
      day += java.time.YearMonth.of(t1.getYear(), t1.getMonthValue()).lengthOfMonth();
      month--;
    }
    if (month < 0) {
      month += 12;
      year--;
    }
    return ArrayValue.of(NumberValue.of(year), NumberValue.of(month), NumberValue.of(day), NumberValue.of(hour),
        NumberValue.of(min), NumberValue.of(sec));
  }
}
