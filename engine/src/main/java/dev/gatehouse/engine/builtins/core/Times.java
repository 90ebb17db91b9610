package dev.gatehouse.engine.builtins.core;

import static dev.gatehouse.engine.types.Types.ANY;
import static dev.gatehouse.engine.types.Types.NUMBER;
import static dev.gatehouse.engine.types.Types.STRING;
import static dev.gatehouse.engine.types.Types.any;
import static dev.gatehouse.engine.types.Types.arrayOf;
import static dev.gatehouse.engine.types.Types.func;

import dev.gatehouse.engine.builtins.Builtin;
import dev.gatehouse.engine.builtins.BuiltinException;
import dev.gatehouse.engine.value.ArrayValue;
import dev.gatehouse.engine.value.NumberValue;
import dev.gatehouse.engine.value.StringValue;
import dev.gatehouse.engine.value.Value;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.TextStyle;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** time.*: nanoseconds since the epoch, Go layouts, Go durations, IANA zones. */
final class Times {
  private static final BigInteger NANOS = BigInteger.valueOf(1_000_000_000L);
  private static final BigInteger MIN_NS = BigInteger.valueOf(Long.MIN_VALUE);
  private static final BigInteger MAX_NS = BigInteger.valueOf(Long.MAX_VALUE);

  private Times() {}

  static List<Builtin> all() {
    List<Builtin> b = new ArrayList<>();
    b.add(Fn.of("time", "time.now_ns", func(NUMBER), (c, a) -> NumberValue.of(c.nowNanos())).nondet());
    b.add(Fn.of("time", "time.parse_rfc3339_ns", func(NUMBER, STRING), (c, a) -> {
      String s = Args.str(a, 0);
      try {
        return nanos(GoLayout.compile(GoLayout.named("RFC3339")).parse(s, ZoneOffset.UTC));
      } catch (IllegalArgumentException | DateTimeException e) {
        throw BuiltinException.error(e.getMessage());
      }
    }));
    b.add(Fn.of("time", "time.parse_ns", func(NUMBER, STRING, STRING), (c, a) -> {
      String layout = GoLayout.named(Args.str(a, 0));
      String s = Args.str(a, 1);
      try {
        GoLayout l = (GoLayout) c.sharedCache().computeIfAbsent("layout:" + layout, k -> GoLayout.compile(layout));
        return nanos(l.parse(s, ZoneOffset.UTC));
      } catch (IllegalArgumentException | DateTimeException e) {
        throw BuiltinException.error(e.getMessage());
      }
    }));
    b.add(Fn.of("time", "time.parse_duration_ns", func(NUMBER, STRING), (c, a) -> NumberValue.of(duration(Args.str(a, 0)))));
    b.add(Fn.of("time", "time.format", func(STRING, any(NUMBER, arrayOf(ANY))), (c, a) -> {
      Object[] t = timeArg(a, 0);
      String layout = t.length > 2 ? GoLayout.named((String) t[2]) : GoLayout.named("RFC3339Nano");
      return StringValue.of(GoLayout.compile(layout).format((ZonedDateTime) t[0]));
    }));
    b.add(Fn.of("time", "time.date", func(arrayOf(NUMBER), any(NUMBER, arrayOf(ANY))), (c, a) -> {
      ZonedDateTime t = (ZonedDateTime) timeArg(a, 0)[0];
      return ArrayValue.of(NumberValue.of(t.getYear()), NumberValue.of(t.getMonthValue()), NumberValue.of(t.getDayOfMonth()));
    }));
    b.add(Fn.of("time", "time.clock", func(arrayOf(NUMBER), any(NUMBER, arrayOf(ANY))), (c, a) -> {
      ZonedDateTime t = (ZonedDateTime) timeArg(a, 0)[0];
      return ArrayValue.of(NumberValue.of(t.getHour()), NumberValue.of(t.getMinute()), NumberValue.of(t.getSecond()));
    }));
    b.add(Fn.of("time", "time.weekday", func(STRING, any(NUMBER, arrayOf(ANY))), (c, a) -> {
      ZonedDateTime t = (ZonedDateTime) timeArg(a, 0)[0];
      return StringValue.of(t.getDayOfWeek().getDisplayName(TextStyle.FULL, Locale.ENGLISH));
    }));
    b.add(Fn.of("time", "time.add_date", func(NUMBER, NUMBER, NUMBER, NUMBER, NUMBER), (c, a) -> {
      ZonedDateTime t = toTime(Args.num(a, 0), ZoneOffset.UTC);
      int years = Args.integer(a, 1);
      int months = Args.integer(a, 2);
      int days = Args.integer(a, 3);
      // Go normalises: the day may overflow into the next month (Oct 31 + 1 month = Dec 1)
      long totalMonths = (long) t.getYear() * 12 + (t.getMonthValue() - 1) + (long) years * 12 + months;
      int y = (int) Math.floorDiv(totalMonths, 12);
      int m = (int) Math.floorMod(totalMonths, 12) + 1;
      LocalDate d = LocalDate.of(y, m, 1).plusDays(t.getDayOfMonth() - 1L + days);
      return nanos(ZonedDateTime.of(d, t.toLocalTime(), ZoneOffset.UTC));
    }));
    b.add(Fn.of("time", "time.diff", func(arrayOf(NUMBER), any(NUMBER, arrayOf(ANY)), any(NUMBER, arrayOf(ANY))), (c, a) -> {
      ZonedDateTime t1 = (ZonedDateTime) timeArg(a, 0)[0];
      ZonedDateTime t2 = (ZonedDateTime) timeArg(a, 1)[0];
      if (t1.isAfter(t2)) {
        ZonedDateTime tmp = t1;
        t1 = t2;
        t2 = tmp;
      }
      t2 = t2.withZoneSameInstant(t1.getZone());
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
        day += LocalDate.of(t2.getYear(), t2.getMonthValue(), 1).minusDays(1).getDayOfMonth();
        month--;
      }
      if (month < 0) {
        month += 12;
        year--;
      }
      return ArrayValue.of(NumberValue.of(year), NumberValue.of(month), NumberValue.of(day), NumberValue.of(hour),
          NumberValue.of(min), NumberValue.of(sec));
    }));
    return b;
  }

  private static NumberValue nanos(ZonedDateTime t) {
    BigInteger ns = BigInteger.valueOf(t.toEpochSecond()).multiply(NANOS).add(BigInteger.valueOf(t.getNano()));
    if (ns.compareTo(MIN_NS) < 0 || ns.compareTo(MAX_NS) > 0) {
      throw BuiltinException.error("time outside of valid range");
    }
    return NumberValue.of(ns);
  }

  /** [ZonedDateTime, zone, layout?] from a number or [ns, tz] / [ns, tz, layout]. */
  private static Object[] timeArg(Value[] a, int i) {
    Value v = a[i];
    if (v instanceof NumberValue n) {
      return new Object[] {toTime(n, ZoneOffset.UTC)};
    }
    if (v instanceof ArrayValue arr && arr.size() >= 2 && arr.size() <= 3) {
      if (!(arr.get(0) instanceof NumberValue n)) {
        throw BuiltinException.operandType(i + 1, arr.get(0), "number");
      }
      if (!(arr.get(1) instanceof StringValue tz)) {
        throw BuiltinException.operandType(i + 1, arr.get(1), "string");
      }
      ZoneId zone = zone(tz.value());
      if (arr.size() == 3) {
        if (!(arr.get(2) instanceof StringValue layout)) {
          throw BuiltinException.operandType(i + 1, arr.get(2), "string");
        }
        return new Object[] {toTime(n, zone), zone, layout.value()};
      }
      return new Object[] {toTime(n, zone), zone};
    }
    if (v instanceof ArrayValue) {
      throw BuiltinException.error("array should have 2 or 3 elements");
    }
    throw BuiltinException.operandType(i + 1, v, "number", "array");
  }

  private static ZoneId zone(String tz) {
    if (tz.isEmpty() || tz.equals("UTC")) {
      return ZoneOffset.UTC;
    }
    if (tz.equals("Local")) {
      return ZoneId.systemDefault();
    }
    try {
      return ZoneId.of(tz);
    } catch (DateTimeException e) {
      throw BuiltinException.error("unknown time zone " + tz);
    }
  }

  private static ZonedDateTime toTime(NumberValue n, ZoneId zone) {
    BigInteger ns = n.bigDecimalValue().setScale(0, java.math.RoundingMode.DOWN).toBigInteger();
    if (ns.compareTo(MIN_NS) < 0 || ns.compareTo(MAX_NS) > 0) {
      throw BuiltinException.error("timestamp too big");
    }
    BigInteger[] qr = ns.divideAndRemainder(NANOS);
    long sec = qr[0].longValue();
    long nano = qr[1].longValue();
    if (nano < 0) {
      sec--;
      nano += 1_000_000_000L;
    }
    return Instant.ofEpochSecond(sec, nano).atZone(zone);
  }

  /** Go's time.ParseDuration, in nanoseconds. */
  static long duration(String s) {
    String orig = s;
    if (s.equals("0")) {
      return 0;
    }
    if (s.isEmpty()) {
      throw BuiltinException.error("time: invalid duration " + GoFmt.goQuote(orig));
    }
    boolean neg = false;
    if (s.charAt(0) == '-' || s.charAt(0) == '+') {
      neg = s.charAt(0) == '-';
      s = s.substring(1);
    }
    if (s.equals("0")) {
      return 0;
    }
    if (s.isEmpty()) {
      throw BuiltinException.error("time: invalid duration " + GoFmt.goQuote(orig));
    }
    BigDecimal total = BigDecimal.ZERO;
    int i = 0;
    while (i < s.length()) {
      int start = i;
      while (i < s.length() && (Character.isDigit(s.charAt(i)) || s.charAt(i) == '.')) {
        i++;
      }
      String num = s.substring(start, i);
      if (num.isEmpty() || num.equals(".")) {
        throw BuiltinException.error("time: invalid duration " + GoFmt.goQuote(orig));
      }
      int us = i;
      while (i < s.length() && !Character.isDigit(s.charAt(i)) && s.charAt(i) != '.') {
        i++;
      }
      String unit = s.substring(us, i);
      long mult;
      switch (unit) {
        case "ns": mult = 1L; break;
        case "us": case "µs": case "μs": mult = 1_000L; break;
        case "ms": mult = 1_000_000L; break;
        case "s": mult = 1_000_000_000L; break;
        case "m": mult = 60_000_000_000L; break;
        case "h": mult = 3_600_000_000_000L; break;
        case "":
          throw BuiltinException.error("time: missing unit in duration " + GoFmt.goQuote(orig));
        default:
          throw BuiltinException.error("time: unknown unit " + GoFmt.goQuote(unit) + " in duration " + GoFmt.goQuote(orig));
      }
      total = total.add(new BigDecimal(num.endsWith(".") ? num + "0" : num.startsWith(".") ? "0" + num : num)
          .multiply(BigDecimal.valueOf(mult)));
    }
    BigInteger ns = total.setScale(0, java.math.RoundingMode.DOWN).toBigInteger();
    if (neg) {
      ns = ns.negate();
    }
    if (ns.compareTo(MIN_NS) < 0 || ns.compareTo(MAX_NS) > 0) {
      throw BuiltinException.error("time: invalid duration " + GoFmt.goQuote(orig));
    }
    return ns.longValue();
  }
}
