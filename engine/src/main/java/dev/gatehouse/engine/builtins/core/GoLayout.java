package dev.gatehouse.engine.builtins.core;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.Month;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.TextStyle;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TimeZone;

/**
 * Go's reference-time layouts ("Mon Jan 2 15:04:05 MST 2006"). A layout is split into literal
 * text and elements once, with Go's rules for recognising elements, then formats times or parses
 * values with Go's leniencies (spaces, one- or two-digit numbers, fractional seconds after
 * seconds) and its error messages ({@code parsing time "x" as "2006": cannot parse "x" as "2006"}).
 * Parsed zone abbreviations carry no offset, as in Go when the local zone is UTC.
 */
final class GoLayout {
  /** The layouts OPA accepts by name in time.parse_ns and time.format. */
  static final Map<String, String> NAMED = Map.of(
      "ANSIC", "Mon Jan _2 15:04:05 2006",
      "UnixDate", "Mon Jan _2 15:04:05 MST 2006",
      "RubyDate", "Mon Jan 02 15:04:05 -0700 2006",
      "RFC822", "02 Jan 06 15:04 MST",
      "RFC822Z", "02 Jan 06 15:04 -0700",
      "RFC850", "Monday, 02-Jan-06 15:04:05 MST",
      "RFC1123", "Mon, 02 Jan 2006 15:04:05 MST",
      "RFC1123Z", "Mon, 02 Jan 2006 15:04:05 -0700",
      "RFC3339", "2006-01-02T15:04:05Z07:00",
      "RFC3339Nano", "2006-01-02T15:04:05.999999999Z07:00");

  enum Std {
    LONG_MONTH("January"), MONTH("Jan"), NUM_MONTH("1"), ZERO_MONTH("01"), LONG_WEEKDAY("Monday"), WEEKDAY("Mon"),
    DAY("2"), UNDER_DAY("_2"), ZERO_DAY("02"), UNDER_YEAR_DAY("__2"), ZERO_YEAR_DAY("002"), HOUR("15"), HOUR12("3"),
    ZERO_HOUR12("03"), MINUTE("4"), ZERO_MINUTE("04"), SECOND("5"), ZERO_SECOND("05"), LONG_YEAR("2006"), YEAR("06"),
    PM("PM"), LOWER_PM("pm"), TZ("MST"), ISO_TZ("Z0700"), ISO_SECONDS_TZ("Z070000"), ISO_SHORT_TZ("Z07"),
    ISO_COLON_TZ("Z07:00"), ISO_COLON_SECONDS_TZ("Z07:00:00"), NUM_TZ("-0700"), NUM_SECONDS_TZ("-070000"),
    NUM_SHORT_TZ("-07"), NUM_COLON_TZ("-07:00"), NUM_COLON_SECONDS_TZ("-07:00:00"), FRAC0(""), FRAC9("");

    final String text;

    Std(String text) {
      this.text = text;
    }

    boolean iso() {
      return this == ISO_TZ || this == ISO_SECONDS_TZ || this == ISO_SHORT_TZ || this == ISO_COLON_TZ
          || this == ISO_COLON_SECONDS_TZ;
    }
  }

  /** A literal (std == null) or an element; fraction elements know their digit count and separator. */
  record Chunk(String literal, Std std, String text, int digits) {}

  private final String layout;
  private final List<Chunk> chunks;

  private GoLayout(String layout, List<Chunk> chunks) {
    this.layout = layout;
    this.chunks = chunks;
  }

  static GoLayout compile(String layout) {
    List<Chunk> out = new ArrayList<>();
    int i = 0;
    int litStart = 0;
    while (i < layout.length()) {
      Chunk c = element(layout, i);
      if (c == null) {
        i++;
        continue;
      }
      // "_2006" is a literal underscore followed by the year
      if (i > litStart) {
        out.add(new Chunk(layout.substring(litStart, i), null, layout.substring(litStart, i), 0));
      }
      out.add(c);
      i += c.text().length();
      litStart = i;
    }
    if (litStart < layout.length()) {
      out.add(new Chunk(layout.substring(litStart), null, layout.substring(litStart), 0));
    }
    return new GoLayout(layout, out);
  }

  /** The element starting at i, by Go's nextStdChunk rules, or null for literal text. */
  private static Chunk element(String s, int i) {
    char c = s.charAt(i);
    switch (c) {
      case 'J':
        if (s.startsWith("Jan", i)) {
          if (s.startsWith("January", i)) {
            return std(Std.LONG_MONTH);
          }
          if (!lowerAt(s, i + 3)) {
            return std(Std.MONTH);
          }
        }
        return null;
      case 'M':
        if (s.startsWith("Mon", i)) {
          if (s.startsWith("Monday", i)) {
            return std(Std.LONG_WEEKDAY);
          }
          if (!lowerAt(s, i + 3)) {
            return std(Std.WEEKDAY);
          }
        }
        if (s.startsWith("MST", i)) {
          return std(Std.TZ);
        }
        return null;
      case '0':
        if (i + 1 < s.length() && s.charAt(i + 1) >= '1' && s.charAt(i + 1) <= '6') {
          return std(switch (s.charAt(i + 1)) {
            case '1' -> Std.ZERO_MONTH;
            case '2' -> Std.ZERO_DAY;
            case '3' -> Std.ZERO_HOUR12;
            case '4' -> Std.ZERO_MINUTE;
            case '5' -> Std.ZERO_SECOND;
            default -> Std.YEAR;
          });
        }
        if (s.startsWith("002", i)) {
          return std(Std.ZERO_YEAR_DAY);
        }
        return null;
      case '1':
        return std(s.startsWith("15", i) ? Std.HOUR : Std.NUM_MONTH);
      case '2':
        return std(s.startsWith("2006", i) ? Std.LONG_YEAR : Std.DAY);
      case '_':
        if (i + 1 < s.length() && s.charAt(i + 1) == '2') {
          if (s.startsWith("2006", i + 1)) {
            return null; // the underscore is literal; the year follows
          }
          return std(Std.UNDER_DAY);
        }
        if (s.startsWith("__2", i)) {
          return std(Std.UNDER_YEAR_DAY);
        }
        return null;
      case '3':
        return std(Std.HOUR12);
      case '4':
        return std(Std.MINUTE);
      case '5':
        return std(Std.SECOND);
      case 'P':
        return s.startsWith("PM", i) ? std(Std.PM) : null;
      case 'p':
        return s.startsWith("pm", i) ? std(Std.LOWER_PM) : null;
      case '-':
        for (Std t : new Std[] {Std.NUM_SECONDS_TZ, Std.NUM_COLON_SECONDS_TZ, Std.NUM_TZ, Std.NUM_COLON_TZ, Std.NUM_SHORT_TZ}) {
          if (s.startsWith(t.text, i)) {
            return std(t);
          }
        }
        return null;
      case 'Z':
        for (Std t : new Std[] {Std.ISO_SECONDS_TZ, Std.ISO_COLON_SECONDS_TZ, Std.ISO_TZ, Std.ISO_COLON_TZ, Std.ISO_SHORT_TZ}) {
          if (s.startsWith(t.text, i)) {
            return std(t);
          }
        }
        return null;
      case '.', ',':
        if (i + 1 < s.length() && (s.charAt(i + 1) == '0' || s.charAt(i + 1) == '9')) {
          char ch = s.charAt(i + 1);
          int j = i + 1;
          while (j < s.length() && s.charAt(j) == ch) {
            j++;
          }
          if (!(j < s.length() && isDigit(s.charAt(j)))) {
            return new Chunk(null, ch == '0' ? Std.FRAC0 : Std.FRAC9, s.substring(i, j), j - (i + 1));
          }
        }
        return null;
      default:
        return null;
    }
  }

  private static Chunk std(Std s) {
    return new Chunk(null, s, s.text, 0);
  }

  private static boolean lowerAt(String s, int i) {
    return i < s.length() && s.charAt(i) >= 'a' && s.charAt(i) <= 'z';
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  // ---------------------------------------------------------------- format

  String format(ZonedDateTime t) {
    StringBuilder sb = new StringBuilder();
    for (Chunk c : chunks) {
      if (c.std() == null) {
        sb.append(c.literal());
        continue;
      }
      int hour = t.getHour();
      switch (c.std()) {
        case YEAR -> pad(sb, Math.floorMod(t.getYear(), 100), 2);
        case LONG_YEAR -> pad(sb, t.getYear(), 4);
        case MONTH -> sb.append(monthName(t.getMonth()), 0, 3);
        case LONG_MONTH -> sb.append(monthName(t.getMonth()));
        case NUM_MONTH -> sb.append(t.getMonthValue());
        case ZERO_MONTH -> pad(sb, t.getMonthValue(), 2);
        case WEEKDAY -> sb.append(dayName(t.getDayOfWeek()), 0, 3);
        case LONG_WEEKDAY -> sb.append(dayName(t.getDayOfWeek()));
        case DAY -> sb.append(t.getDayOfMonth());
        case UNDER_DAY -> {
          if (t.getDayOfMonth() < 10) {
            sb.append(' ');
          }
          sb.append(t.getDayOfMonth());
        }
        case ZERO_DAY -> pad(sb, t.getDayOfMonth(), 2);
        case UNDER_YEAR_DAY -> {
          int yd = t.getDayOfYear();
          sb.append(yd < 10 ? "  " : yd < 100 ? " " : "").append(yd);
        }
        case ZERO_YEAR_DAY -> pad(sb, t.getDayOfYear(), 3);
        case HOUR -> pad(sb, hour, 2);
        case HOUR12 -> sb.append(hour % 12 == 0 ? 12 : hour % 12);
        case ZERO_HOUR12 -> pad(sb, hour % 12 == 0 ? 12 : hour % 12, 2);
        case MINUTE -> sb.append(t.getMinute());
        case ZERO_MINUTE -> pad(sb, t.getMinute(), 2);
        case SECOND -> sb.append(t.getSecond());
        case ZERO_SECOND -> pad(sb, t.getSecond(), 2);
        case PM -> sb.append(hour >= 12 ? "PM" : "AM");
        case LOWER_PM -> sb.append(hour >= 12 ? "pm" : "am");
        case ISO_TZ, ISO_SECONDS_TZ, ISO_SHORT_TZ, ISO_COLON_TZ, ISO_COLON_SECONDS_TZ, NUM_TZ, NUM_SECONDS_TZ,
            NUM_SHORT_TZ, NUM_COLON_TZ, NUM_COLON_SECONDS_TZ -> offset(sb, t.getOffset().getTotalSeconds(), c.std());
        case TZ -> {
          String name = zoneAbbreviation(t);
          if (name != null) {
            sb.append(name);
          } else {
            int minutes = t.getOffset().getTotalSeconds() / 60;
            sb.append(minutes < 0 ? '-' : '+');
            minutes = Math.abs(minutes);
            pad(sb, minutes / 60 * 100 + minutes % 60, 4);
          }
        }
        case FRAC0, FRAC9 -> fraction(sb, t.getNano(), c);
        default -> { }
      }
    }
    return sb.toString();
  }

  private static void pad(StringBuilder sb, int v, int width) {
    String s = Integer.toString(Math.abs(v));
    if (v < 0) {
      sb.append('-');
    }
    for (int k = s.length(); k < width; k++) {
      sb.append('0');
    }
    sb.append(s);
  }

  private static String monthName(Month m) {
    return m.getDisplayName(TextStyle.FULL, Locale.ENGLISH);
  }

  private static String dayName(DayOfWeek d) {
    return d.getDisplayName(TextStyle.FULL, Locale.ENGLISH);
  }

  private static void offset(StringBuilder sb, int seconds, Std std) {
    if (std.iso() && seconds == 0) {
      sb.append('Z');
      return;
    }
    int zone = seconds / 60;
    int abs = Math.abs(seconds);
    sb.append(zone < 0 || (zone == 0 && seconds < 0) ? '-' : '+');
    int az = Math.abs(zone);
    pad(sb, az / 60, 2);
    if (std == Std.ISO_COLON_TZ || std == Std.NUM_COLON_TZ || std == Std.ISO_COLON_SECONDS_TZ
        || std == Std.NUM_COLON_SECONDS_TZ) {
      sb.append(':');
    }
    if (std != Std.NUM_SHORT_TZ && std != Std.ISO_SHORT_TZ) {
      pad(sb, az % 60, 2);
    }
    if (std == Std.ISO_SECONDS_TZ || std == Std.NUM_SECONDS_TZ || std == Std.ISO_COLON_SECONDS_TZ
        || std == Std.NUM_COLON_SECONDS_TZ) {
      if (std == Std.NUM_COLON_SECONDS_TZ || std == Std.ISO_COLON_SECONDS_TZ) {
        sb.append(':');
      }
      pad(sb, abs % 60, 2);
    }
  }

  private static void fraction(StringBuilder sb, int nanos, Chunk c) {
    String ns = String.format("%09d", nanos);
    int n = Math.min(c.digits(), 9);
    String digits = ns.substring(0, n);
    if (c.std() == Std.FRAC9) {
      int end = digits.length();
      while (end > 0 && digits.charAt(end - 1) == '0') {
        end--;
      }
      if (end == 0) {
        return;
      }
      digits = digits.substring(0, end);
    }
    sb.append(c.text().charAt(0)).append(digits);
  }

  /**
   * The zone abbreviation Go prints for MST: tzdata's, from the system zoneinfo files when they
   * are there; otherwise Java's short name (the same for the common zones), with names that are
   * only an offset written tzdata's way ("+03").
   */
  private static String zoneAbbreviation(ZonedDateTime t) {
    ZoneId z = t.getZone();
    if (z instanceof ZoneOffset off) {
      return off.getTotalSeconds() == 0 ? "UTC" : null;
    }
    if (z.getId().equals("UTC") || z.getId().equals("Etc/UTC")) {
      return "UTC";
    }
    boolean dst = z.getRules().isDaylightSavings(t.toInstant());
    String tzdata = TzAbbreviations.lookup(z.getId(), t.toEpochSecond(), t.getOffset().getTotalSeconds(), dst);
    if (tzdata != null) {
      return tzdata;
    }
    String name = TimeZone.getTimeZone(z).getDisplayName(dst, TimeZone.SHORT, Locale.ENGLISH);
    if (name.startsWith("GMT") && name.length() > 3) {
      int secs = t.getOffset().getTotalSeconds();
      int minutes = Math.abs(secs) / 60;
      StringBuilder sb = new StringBuilder(secs < 0 ? "-" : "+");
      pad(sb, minutes / 60, 2);
      if (minutes % 60 != 0) {
        pad(sb, minutes % 60, 2);
      }
      return sb.toString();
    }
    return name;
  }

  // ---------------------------------------------------------------- parse

  /** A parse failure with Go's message. */
  static final class ParseException extends RuntimeException {
    ParseException(String message) {
      super(message, null, false, false);
    }
  }

  private static final String[] SHORT_MONTHS = {"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct",
      "Nov", "Dec"};
  private static final String[] LONG_MONTHS = {"January", "February", "March", "April", "May", "June", "July", "August",
      "September", "October", "November", "December"};
  private static final String[] SHORT_DAYS = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
  private static final String[] LONG_DAYS = {"Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday",
      "Saturday"};

  /** Seconds since the epoch and nanoseconds of the parsed value (UTC unless the value says otherwise). */
  Instant parse(String value) {
    String v = value;
    int year = 0;
    int month = -1;
    int day = -1;
    int yday = -1;
    int hour = 0;
    int min = 0;
    int sec = 0;
    int nsec = 0;
    boolean amSet = false;
    boolean pmSet = false;
    Integer zoneOffset = null;
    String zoneName = null;
    boolean utc = false;
    for (int ci = 0; ci <= chunks.size(); ci++) {
      Chunk c = ci < chunks.size() ? chunks.get(ci) : null;
      if (c == null) {
        if (!v.isEmpty()) {
          throw new ParseException("parsing time " + quote(value) + ": extra text: " + quote(v));
        }
        break;
      }
      if (c.std() == null) {
        String rest = skip(v, c.literal());
        if (rest == null) {
          throw cannotParse(value, v, c.literal());
        }
        v = rest;
        continue;
      }
      String hold = v;
      String stdText = c.text();
      String range = null;
      boolean bad = false;
      int[] num;
      switch (c.std()) {
        case YEAR -> {
          if (v.length() < 2 || !isDigit(v.charAt(0)) || !isDigit(v.charAt(1))) {
            bad = true;
            break;
          }
          year = Integer.parseInt(v.substring(0, 2));
          year += year >= 69 ? 1900 : 2000;
          v = v.substring(2);
        }
        case LONG_YEAR -> {
          if (v.length() < 4 || !isDigit(v.charAt(0))) {
            bad = true;
            break;
          }
          Integer y = atoi(v.substring(0, 4));
          if (y == null) {
            bad = true;
            break;
          }
          year = y;
          v = v.substring(4);
        }
        case MONTH, LONG_MONTH -> {
          int idx = lookup(c.std() == Std.MONTH ? SHORT_MONTHS : LONG_MONTHS, v);
          if (idx < 0) {
            bad = true;
            break;
          }
          month = idx + 1;
          v = v.substring((c.std() == Std.MONTH ? SHORT_MONTHS : LONG_MONTHS)[idx].length());
        }
        case NUM_MONTH, ZERO_MONTH -> {
          num = getnum(v, c.std() == Std.ZERO_MONTH, 2);
          if (num == null) {
            bad = true;
            break;
          }
          month = num[0];
          v = v.substring(num[1]);
          if (month <= 0 || month > 12) {
            range = "month";
          }
        }
        case WEEKDAY, LONG_WEEKDAY -> {
          String[] names = c.std() == Std.WEEKDAY ? SHORT_DAYS : LONG_DAYS;
          int idx = lookup(names, v);
          if (idx < 0) {
            bad = true;
            break;
          }
          v = v.substring(names[idx].length());
        }
        case DAY, UNDER_DAY, ZERO_DAY -> {
          if (c.std() == Std.UNDER_DAY && !v.isEmpty() && v.charAt(0) == ' ') {
            v = v.substring(1);
          }
          num = getnum(v, c.std() == Std.ZERO_DAY, 2);
          if (num == null) {
            bad = true;
            break;
          }
          day = num[0];
          v = v.substring(num[1]);
        }
        case UNDER_YEAR_DAY, ZERO_YEAR_DAY -> {
          for (int k = 0; k < 2; k++) {
            if (c.std() == Std.UNDER_YEAR_DAY && !v.isEmpty() && v.charAt(0) == ' ') {
              v = v.substring(1);
            }
          }
          num = getnum(v, c.std() == Std.ZERO_YEAR_DAY, 3);
          if (num == null) {
            bad = true;
            break;
          }
          yday = num[0];
          v = v.substring(num[1]);
        }
        case HOUR -> {
          num = getnum(v, false, 2);
          if (num == null) {
            bad = true;
            break;
          }
          hour = num[0];
          v = v.substring(num[1]);
          if (hour >= 24) {
            range = "hour";
          }
        }
        case HOUR12, ZERO_HOUR12 -> {
          num = getnum(v, c.std() == Std.ZERO_HOUR12, 2);
          if (num == null) {
            bad = true;
            break;
          }
          hour = num[0];
          v = v.substring(num[1]);
          if (hour > 12) {
            range = "hour";
          }
        }
        case MINUTE, ZERO_MINUTE -> {
          num = getnum(v, c.std() == Std.ZERO_MINUTE, 2);
          if (num == null) {
            bad = true;
            break;
          }
          min = num[0];
          v = v.substring(num[1]);
          if (min >= 60) {
            range = "minute";
          }
        }
        case SECOND, ZERO_SECOND -> {
          num = getnum(v, c.std() == Std.ZERO_SECOND, 2);
          if (num == null) {
            bad = true;
            break;
          }
          sec = num[0];
          v = v.substring(num[1]);
          if (sec >= 60) {
            range = "second";
            break;
          }
          // a fractional second in the value but none in the layout
          if (v.length() >= 2 && (v.charAt(0) == '.' || v.charAt(0) == ',') && isDigit(v.charAt(1))) {
            Chunk next = ci + 1 < chunks.size() ? chunks.get(ci + 1) : null;
            if (next != null && (next.std() == Std.FRAC0 || next.std() == Std.FRAC9)) {
              break;
            }
            int n = 2;
            while (n < v.length() && isDigit(v.charAt(n))) {
              n++;
            }
            nsec = nanoseconds(v, n);
            v = v.substring(n);
          }
        }
        case PM, LOWER_PM -> {
          if (v.length() < 2) {
            bad = true;
            break;
          }
          String p = v.substring(0, 2);
          v = v.substring(2);
          String pm = c.std() == Std.PM ? "PM" : "pm";
          String am = c.std() == Std.PM ? "AM" : "am";
          if (p.equals(pm)) {
            pmSet = true;
          } else if (p.equals(am)) {
            amSet = true;
          } else {
            bad = true;
          }
        }
        case ISO_TZ, ISO_SECONDS_TZ, ISO_SHORT_TZ, ISO_COLON_TZ, ISO_COLON_SECONDS_TZ, NUM_TZ, NUM_SECONDS_TZ,
            NUM_SHORT_TZ, NUM_COLON_TZ, NUM_COLON_SECONDS_TZ -> {
          if (c.std().iso() && !v.isEmpty() && v.charAt(0) == 'Z') {
            v = v.substring(1);
            utc = true;
            break;
          }
          String sign;
          String hh;
          String mm = "00";
          String ss = "00";
          Std s = c.std();
          if (s == Std.ISO_COLON_TZ || s == Std.NUM_COLON_TZ) {
            if (v.length() < 6 || v.charAt(3) != ':') {
              bad = true;
              break;
            }
            sign = v.substring(0, 1);
            hh = v.substring(1, 3);
            mm = v.substring(4, 6);
            v = v.substring(6);
          } else if (s == Std.NUM_SHORT_TZ || s == Std.ISO_SHORT_TZ) {
            if (v.length() < 3) {
              bad = true;
              break;
            }
            sign = v.substring(0, 1);
            hh = v.substring(1, 3);
            v = v.substring(3);
          } else if (s == Std.ISO_COLON_SECONDS_TZ || s == Std.NUM_COLON_SECONDS_TZ) {
            if (v.length() < 9 || v.charAt(3) != ':' || v.charAt(6) != ':') {
              bad = true;
              break;
            }
            sign = v.substring(0, 1);
            hh = v.substring(1, 3);
            mm = v.substring(4, 6);
            ss = v.substring(7, 9);
            v = v.substring(9);
          } else if (s == Std.ISO_SECONDS_TZ || s == Std.NUM_SECONDS_TZ) {
            if (v.length() < 7) {
              bad = true;
              break;
            }
            sign = v.substring(0, 1);
            hh = v.substring(1, 3);
            mm = v.substring(3, 5);
            ss = v.substring(5, 7);
            v = v.substring(7);
          } else {
            if (v.length() < 5) {
              bad = true;
              break;
            }
            sign = v.substring(0, 1);
            hh = v.substring(1, 3);
            mm = v.substring(3, 5);
            v = v.substring(5);
          }
          int[] h = getnum(hh, true, 2);
          int[] m = h == null ? null : getnum(mm, true, 2);
          int[] sx = m == null ? null : getnum(ss, true, 2);
          if (sx == null) {
            bad = true;
            break;
          }
          if (h[0] > 24) {
            range = "time zone offset hour";
          }
          if (m[0] > 60) {
            range = "time zone offset minute";
          }
          if (sx[0] > 60) {
            range = "time zone offset second";
          }
          int off = (h[0] * 60 + m[0]) * 60 + sx[0];
          if (sign.equals("-")) {
            off = -off;
          } else if (!sign.equals("+")) {
            bad = true;
          }
          zoneOffset = off;
        }
        case TZ -> {
          if (v.startsWith("UTC")) {
            utc = true;
            v = v.substring(3);
            break;
          }
          int n = timeZoneLength(v);
          if (n <= 0) {
            bad = true;
            break;
          }
          zoneName = v.substring(0, n);
          v = v.substring(n);
        }
        case FRAC0 -> {
          int ndigit = 1 + c.digits();
          if (v.length() < ndigit) {
            bad = true;
            break;
          }
          if (v.charAt(0) != '.' && v.charAt(0) != ',') {
            bad = true;
            break;
          }
          nsec = nanoseconds(v, ndigit);
          v = v.substring(ndigit);
        }
        case FRAC9 -> {
          if (v.length() < 2 || (v.charAt(0) != '.' && v.charAt(0) != ',') || !isDigit(v.charAt(1))) {
            break; // fraction omitted
          }
          int k = 0;
          while (k + 1 < v.length() && isDigit(v.charAt(k + 1))) {
            k++;
          }
          nsec = nanoseconds(v, 1 + k);
          v = v.substring(1 + k);
        }
        default -> { }
      }
      if (range != null) {
        throw new ParseException("parsing time " + quote(value) + ": " + range + " out of range");
      }
      if (bad) {
        throw cannotParse(value, hold, stdText);
      }
    }
    if (pmSet && hour < 12) {
      hour += 12;
    } else if (amSet && hour == 12) {
      hour = 0;
    }
    if (yday >= 0) {
      int d;
      int m;
      boolean leap = java.time.Year.isLeap(year);
      if (yday < 1 || yday > 365 + (leap ? 1 : 0)) {
        throw new ParseException("parsing time " + quote(value) + ": day-of-year out of range");
      }
      LocalDate date = LocalDate.ofYearDay(year, yday);
      m = date.getMonthValue();
      d = date.getDayOfMonth();
      if (month >= 0 && month != m) {
        throw new ParseException("parsing time " + quote(value) + ": day-of-year does not match month");
      }
      if (day >= 0 && day != d) {
        throw new ParseException("parsing time " + quote(value) + ": day-of-year does not match day");
      }
      month = m;
      day = d;
    } else {
      if (month < 0) {
        month = 1;
      }
      if (day < 0) {
        day = 1;
      }
    }
    if (day < 1 || day > LocalDate.of(year, month, 1).lengthOfMonth()) {
      throw new ParseException("parsing time " + quote(value) + ": day out of range");
    }
    LocalDateTime local = LocalDateTime.of(year, month, day, hour, min, sec, nsec);
    // a numeric offset moves the instant; a zone name only labels it (Go gives unknown names,
    // and GMT+h, a fixed zone without changing the time it read)
    int offsetSeconds = !utc && zoneOffset != null ? zoneOffset : 0;
    return local.toInstant(ZoneOffset.UTC).minusSeconds(offsetSeconds);
  }

  private ParseException cannotParse(String value, String valueElem, String layoutElem) {
    return new ParseException("parsing time " + quote(value) + " as " + quote(layout) + ": cannot parse "
        + quote(valueElem) + " as " + quote(layoutElem));
  }

  /** Go's time.quote: ASCII printable kept, other bytes as \x escapes. */
  static String quote(String s) {
    StringBuilder sb = new StringBuilder("\"");
    for (int i = 0; i < s.length(); ) {
      int cp = s.codePointAt(i);
      i += Character.charCount(cp);
      if (cp >= 0x80 || cp < ' ') {
        for (byte b : new String(Character.toChars(cp)).getBytes(java.nio.charset.StandardCharsets.UTF_8)) {
          sb.append("\\x").append("0123456789abcdef".charAt((b >> 4) & 15)).append("0123456789abcdef".charAt(b & 15));
        }
      } else {
        if (cp == '"' || cp == '\\') {
          sb.append('\\');
        }
        sb.append((char) cp);
      }
    }
    return sb.append('"').toString();
  }

  /** Go's skip: literal text must match, but a run of spaces matches any run of spaces. */
  private static String skip(String value, String prefix) {
    int p = 0;
    int v = 0;
    while (p < prefix.length()) {
      if (prefix.charAt(p) == ' ') {
        if (v < value.length() && value.charAt(v) != ' ') {
          return null;
        }
        while (p < prefix.length() && prefix.charAt(p) == ' ') {
          p++;
        }
        while (v < value.length() && value.charAt(v) == ' ') {
          v++;
        }
        continue;
      }
      if (v >= value.length() || value.charAt(v) != prefix.charAt(p)) {
        return null;
      }
      p++;
      v++;
    }
    return value.substring(v);
  }

  private static int lookup(String[] names, String v) {
    for (int i = 0; i < names.length; i++) {
      String n = names[i];
      if (v.length() >= n.length() && v.regionMatches(true, 0, n, 0, n.length())) {
        return i;
      }
    }
    return -1;
  }

  /** Go's getnum / getnum3: up to max digits; fixed requires exactly max. Returns {value, length}. */
  private static int[] getnum(String s, boolean fixed, int max) {
    int n = 0;
    while (n < max && n < s.length() && isDigit(s.charAt(n))) {
      n++;
    }
    if (n == 0 || (fixed && n < max)) {
      return null;
    }
    return new int[] {Integer.parseInt(s.substring(0, n)), n};
  }

  private static Integer atoi(String s) {
    try {
      return Integer.parseInt(s);
    } catch (NumberFormatException e) {
      return null;
    }
  }

  /** The fraction at s[0:n] (a separator and digits) in nanoseconds; digits past the ninth are dropped. */
  private static int nanoseconds(String s, int n) {
    String digits = s.substring(1, Math.min(n, 10));
    int ns = digits.isEmpty() ? 0 : Integer.parseInt(digits);
    for (int k = 0; k < 10 - Math.min(n, 10); k++) {
      ns *= 10;
    }
    return ns;
  }

  /** Go's parseTimeZone: how long the zone abbreviation at the start of v is, or 0. */
  private static int timeZoneLength(String v) {
    if (v.length() < 3) {
      return 0;
    }
    if (v.startsWith("ChST") || v.startsWith("MeST")) {
      return 4;
    }
    if (v.startsWith("GMT")) {
      int n = 3;
      if (v.length() > 3 && (v.charAt(3) == '+' || v.charAt(3) == '-')) {
        int k = 4;
        while (k < v.length() && isDigit(v.charAt(k))) {
          k++;
        }
        if (k > 4 && k - 4 <= 2) {
          int hours = Integer.parseInt(v.substring(4, k));
          if (hours <= 23) {
            n = k;
          }
        }
      }
      return n;
    }
    if (v.charAt(0) == '+' || v.charAt(0) == '-') {
      int k = 1;
      while (k < v.length() && isDigit(v.charAt(k))) {
        k++;
      }
      if (k - 1 == 2 || k - 1 == 4) {
        return k;
      }
      return 0;
    }
    int upper = 0;
    while (upper < 6 && upper < v.length() && v.charAt(upper) >= 'A' && v.charAt(upper) <= 'Z') {
      upper++;
    }
    return switch (upper) {
      case 5 -> v.charAt(4) == 'T' ? 5 : 0;
      case 4 -> v.charAt(3) == 'T' || v.startsWith("WITA") ? 4 : 0;
      case 3 -> 3;
      default -> 0;
    };
  }
}
