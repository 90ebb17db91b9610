package dev.gatehouse.engine.builtins.core;

import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.Month;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.TextStyle;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Go's reference-time layouts ("Mon Jan 2 15:04:05 MST 2006"): tokenizes a layout once and then
 * formats or parses with it, matching Go's time package for the common elements.
 */
final class GoLayout {
  enum Tok {
    LIT, YEAR4, YEAR2, MONTH_LONG, MONTH_SHORT, MONTH_NUM0, MONTH_NUM, DAY0, DAY_SPACE, DAY, YDAY,
    WEEKDAY_LONG, WEEKDAY_SHORT, HOUR24, HOUR12_0, HOUR12, MIN0, MIN, SEC0, SEC, PM_UPPER, PM_LOWER,
    TZ_NAME, ISO_Z_COLON, ISO_Z, ISO_Z_SHORT, ISO_Z_SECONDS, NUM_TZ_COLON, NUM_TZ, NUM_TZ_SHORT, FRAC0, FRAC9
  }

  record Part(Tok tok, String text, int digits) {}

  private final List<Part> parts;

  private GoLayout(List<Part> parts) {
    this.parts = parts;
  }

  static String named(String layout) {
    switch (layout) {
      case "ANSIC": return "Mon Jan _2 15:04:05 2006";
      case "UnixDate": return "Mon Jan _2 15:04:05 MST 2006";
      case "RubyDate": return "Mon Jan 02 15:04:05 -0700 2006";
      case "RFC822": return "02 Jan 06 15:04 MST";
      case "RFC822Z": return "02 Jan 06 15:04 -0700";
      case "RFC850": return "Monday, 02-Jan-06 15:04:05 MST";
      case "RFC1123": return "Mon, 02 Jan 2006 15:04:05 MST";
      case "RFC1123Z": return "Mon, 02 Jan 2006 15:04:05 -0700";
      case "RFC3339": return "2006-01-02T15:04:05Z07:00";
      case "RFC3339Nano": return "2006-01-02T15:04:05.999999999Z07:00";
      case "Kitchen": return "3:04PM";
      case "Stamp": return "Jan _2 15:04:05";
      case "StampMilli": return "Jan _2 15:04:05.000";
      case "StampMicro": return "Jan _2 15:04:05.000000";
      case "StampNano": return "Jan _2 15:04:05.000000000";
      case "DateTime": return "2006-01-02 15:04:05";
      case "DateOnly": return "2006-01-02";
      case "TimeOnly": return "15:04:05";
      default: return layout;
    }
  }

  static GoLayout compile(String layout) {
    List<Part> out = new ArrayList<>();
    StringBuilder lit = new StringBuilder();
    int i = 0;
    while (i < layout.length()) {
      Part p = match(layout, i);
      if (p == null) {
        lit.append(layout.charAt(i++));
        continue;
      }
      if (lit.length() > 0) {
        out.add(new Part(Tok.LIT, lit.toString(), 0));
        lit.setLength(0);
      }
      out.add(p);
      i += p.text().length();
    }
    if (lit.length() > 0) {
      out.add(new Part(Tok.LIT, lit.toString(), 0));
    }
    return new GoLayout(out);
  }

  private static Part match(String s, int i) {
    String[][] table = {
      {"January", "MONTH_LONG"}, {"Jan", "MONTH_SHORT"}, {"Monday", "WEEKDAY_LONG"}, {"Mon", "WEEKDAY_SHORT"},
      {"MST", "TZ_NAME"}, {"2006", "YEAR4"}, {"Z07:00:00", "ISO_Z_SECONDS"}, {"Z07:00", "ISO_Z_COLON"},
      {"Z0700", "ISO_Z"}, {"Z07", "ISO_Z_SHORT"}, {"-07:00", "NUM_TZ_COLON"}, {"-0700", "NUM_TZ"}, {"-07", "NUM_TZ_SHORT"},
      {"002", "YDAY"}, {"01", "MONTH_NUM0"}, {"02", "DAY0"}, {"_2", "DAY_SPACE"}, {"03", "HOUR12_0"}, {"04", "MIN0"},
      {"05", "SEC0"}, {"06", "YEAR2"}, {"15", "HOUR24"}, {"PM", "PM_UPPER"}, {"pm", "PM_LOWER"},
    };
    for (String[] e : table) {
      if (s.startsWith(e[0], i)) {
        return new Part(Tok.valueOf(e[1]), e[0], 0);
      }
    }
    char c = s.charAt(i);
    if ((c == '.' || c == ',') && i + 1 < s.length() && (s.charAt(i + 1) == '0' || s.charAt(i + 1) == '9')) {
      char d = s.charAt(i + 1);
      int j = i + 1;
      while (j < s.length() && s.charAt(j) == d) {
        j++;
      }
      if (j == s.length() || !Character.isDigit(s.charAt(j))) {
        return new Part(d == '0' ? Tok.FRAC0 : Tok.FRAC9, s.substring(i, j), j - i - 1);
      }
    }
    if (c == '1') {
      return new Part(Tok.MONTH_NUM, "1", 0);
    }
    if (c == '2') {
      return new Part(Tok.DAY, "2", 0);
    }
    if (c == '3') {
      return new Part(Tok.HOUR12, "3", 0);
    }
    if (c == '4') {
      return new Part(Tok.MIN, "4", 0);
    }
    if (c == '5') {
      return new Part(Tok.SEC, "5", 0);
    }
    return null;
  }

  String format(ZonedDateTime t) {
    StringBuilder sb = new StringBuilder();
    for (Part p : parts) {
      switch (p.tok()) {
        case LIT -> sb.append(p.text());
        case YEAR4 -> sb.append(String.format("%04d", t.getYear()));
        case YEAR2 -> sb.append(String.format("%02d", Math.floorMod(t.getYear(), 100)));
        case MONTH_LONG -> sb.append(t.getMonth().getDisplayName(TextStyle.FULL, Locale.ENGLISH));
        case MONTH_SHORT -> sb.append(t.getMonth().getDisplayName(TextStyle.SHORT, Locale.ENGLISH));
        case MONTH_NUM0 -> sb.append(String.format("%02d", t.getMonthValue()));
        case MONTH_NUM -> sb.append(t.getMonthValue());
        case DAY0 -> sb.append(String.format("%02d", t.getDayOfMonth()));
        case DAY_SPACE -> sb.append(String.format("%2d", t.getDayOfMonth()));
        case DAY -> sb.append(t.getDayOfMonth());
        case YDAY -> sb.append(String.format("%03d", t.getDayOfYear()));
        case WEEKDAY_LONG -> sb.append(t.getDayOfWeek().getDisplayName(TextStyle.FULL, Locale.ENGLISH));
        case WEEKDAY_SHORT -> sb.append(t.getDayOfWeek().getDisplayName(TextStyle.SHORT, Locale.ENGLISH));
        case HOUR24 -> sb.append(String.format("%02d", t.getHour()));
        case HOUR12_0 -> sb.append(String.format("%02d", t.getHour() % 12 == 0 ? 12 : t.getHour() % 12));
        case HOUR12 -> sb.append(t.getHour() % 12 == 0 ? 12 : t.getHour() % 12);
        case MIN0 -> sb.append(String.format("%02d", t.getMinute()));
        case MIN -> sb.append(t.getMinute());
        case SEC0 -> sb.append(String.format("%02d", t.getSecond()));
        case SEC -> sb.append(t.getSecond());
        case PM_UPPER -> sb.append(t.getHour() >= 12 ? "PM" : "AM");
        case PM_LOWER -> sb.append(t.getHour() >= 12 ? "pm" : "am");
        case TZ_NAME -> sb.append(zoneAbbreviation(t));
        case ISO_Z_COLON, ISO_Z, ISO_Z_SHORT, ISO_Z_SECONDS -> {
          if (t.getOffset().getTotalSeconds() == 0) {
            sb.append('Z');
          } else {
            sb.append(offset(t.getOffset(), p.tok()));
          }
        }
        case NUM_TZ_COLON, NUM_TZ, NUM_TZ_SHORT -> sb.append(offset(t.getOffset(), p.tok()));
        case FRAC0 -> {
          String ns = String.format("%09d", t.getNano());
          sb.append(p.text().charAt(0)).append(ns, 0, p.digits());
        }
        case FRAC9 -> {
          String ns = String.format("%09d", t.getNano()).substring(0, p.digits());
          int end = ns.length();
          while (end > 0 && ns.charAt(end - 1) == '0') {
            end--;
          }
          if (end > 0) {
            sb.append(p.text().charAt(0)).append(ns, 0, end);
          }
        }
        default -> { }
      }
    }
    return sb.toString();
  }

  private static String zoneAbbreviation(ZonedDateTime t) {
    if (t.getZone() instanceof ZoneOffset off) {
      return off.getTotalSeconds() == 0 ? "UTC" : offset(off, Tok.NUM_TZ);
    }
    String name = t.getZone().getDisplayName(TextStyle.SHORT, Locale.ENGLISH);
    return java.util.TimeZone.getTimeZone(t.getZone()).getDisplayName(
        t.getZone().getRules().isDaylightSavings(t.toInstant()), java.util.TimeZone.SHORT, Locale.ENGLISH);
  }

  private static String offset(ZoneOffset off, Tok tok) {
    int total = off.getTotalSeconds();
    String sign = total < 0 ? "-" : "+";
    total = Math.abs(total);
    int h = total / 3600;
    int m = (total / 60) % 60;
    int s = total % 60;
    return switch (tok) {
      case ISO_Z_COLON, NUM_TZ_COLON -> String.format("%s%02d:%02d", sign, h, m);
      case ISO_Z_SHORT, NUM_TZ_SHORT -> String.format("%s%02d", sign, h);
      case ISO_Z_SECONDS -> String.format("%s%02d:%02d:%02d", sign, h, m, s);
      default -> String.format("%s%02d%02d", sign, h, m);
    };
  }

  /** Parses value with this layout; throws IllegalArgumentException with Go-like wording. */
  ZonedDateTime parse(String value, ZoneId defaultZone) {
    int pos = 0;
    int year = 1;
    int month = 1;
    int day = 1;
    int hour = 0;
    int min = 0;
    int sec = 0;
    int nano = 0;
    boolean pm = false;
    boolean hasPm = false;
    ZoneId zone = null;
    for (int pi = 0; pi < parts.size(); pi++) {
      Part p = parts.get(pi);
      switch (p.tok()) {
        case LIT -> {
          if (!value.startsWith(p.text(), pos)) {
            throw bad(value);
          }
          pos += p.text().length();
        }
        case YEAR4 -> { year = digits(value, pos, 4, 4); pos += 4; }
        case YEAR2 -> { int y = digits(value, pos, 2, 2); year = y >= 69 ? 1900 + y : 2000 + y; pos += 2; }
        case MONTH_LONG, MONTH_SHORT -> {
          boolean found = false;
          for (Month m : Month.values()) {
            String name = m.getDisplayName(p.tok() == Tok.MONTH_LONG ? TextStyle.FULL : TextStyle.SHORT, Locale.ENGLISH);
            if (value.regionMatches(true, pos, name, 0, name.length())) {
              month = m.getValue();
              pos += name.length();
              found = true;
              break;
            }
          }
          if (!found) {
            throw bad(value);
          }
        }
        case WEEKDAY_LONG, WEEKDAY_SHORT -> {
          boolean found = false;
          for (DayOfWeek d : DayOfWeek.values()) {
            String name = d.getDisplayName(p.tok() == Tok.WEEKDAY_LONG ? TextStyle.FULL : TextStyle.SHORT, Locale.ENGLISH);
            if (value.regionMatches(true, pos, name, 0, name.length())) {
              pos += name.length();
              found = true;
              break;
            }
          }
          if (!found) {
            throw bad(value);
          }
        }
        case MONTH_NUM0 -> { month = digits(value, pos, 2, 2); pos += 2; }
        case DAY0 -> { day = digits(value, pos, 2, 2); pos += 2; }
        case HOUR24 -> { hour = digits(value, pos, 2, 2); pos += 2; }
        case HOUR12_0 -> { hour = digits(value, pos, 2, 2); pos += 2; }
        case MIN0 -> { min = digits(value, pos, 2, 2); pos += 2; }
        case SEC0 -> {
          sec = digits(value, pos, 2, 2);
          pos += 2;
          // Go accepts fractional seconds after seconds even if the layout has none
          if (pos < value.length() && value.charAt(pos) == '.' && (pi + 1 >= parts.size()
              || (parts.get(pi + 1).tok() != Tok.FRAC0 && parts.get(pi + 1).tok() != Tok.FRAC9))) {
            int j = pos + 1;
            while (j < value.length() && Character.isDigit(value.charAt(j))) {
              j++;
            }
            nano = fraction(value.substring(pos + 1, j));
            pos = j;
          }
        }
        case MONTH_NUM, DAY, HOUR12, MIN, SEC, DAY_SPACE, YDAY -> {
          if (p.tok() == Tok.DAY_SPACE && pos < value.length() && value.charAt(pos) == ' ') {
            pos++;
          }
          int j = pos;
          while (j < value.length() && j - pos < 3 && Character.isDigit(value.charAt(j))) {
            j++;
          }
          if (j == pos) {
            throw bad(value);
          }
          int v = Integer.parseInt(value.substring(pos, j));
          pos = j;
          switch (p.tok()) {
            case MONTH_NUM -> month = v;
            case DAY, DAY_SPACE -> day = v;
            case HOUR12 -> hour = v;
            case MIN -> min = v;
            case SEC -> sec = v;
            default -> { }
          }
        }
        case PM_UPPER, PM_LOWER -> {
          String s = value.substring(pos, Math.min(pos + 2, value.length()));
          hasPm = true;
          pm = s.equalsIgnoreCase("PM");
          if (!pm && !s.equalsIgnoreCase("AM")) {
            throw bad(value);
          }
          pos += 2;
        }
        case FRAC0, FRAC9 -> {
          if (pos < value.length() && (value.charAt(pos) == '.' || value.charAt(pos) == ',')) {
            int j = pos + 1;
            while (j < value.length() && Character.isDigit(value.charAt(j))) {
              j++;
            }
            nano = fraction(value.substring(pos + 1, j));
            pos = j;
          } else if (p.tok() == Tok.FRAC0) {
            throw bad(value);
          }
        }
        case ISO_Z_COLON, ISO_Z, ISO_Z_SHORT, ISO_Z_SECONDS, NUM_TZ_COLON, NUM_TZ, NUM_TZ_SHORT -> {
          if ((p.tok() == Tok.ISO_Z_COLON || p.tok() == Tok.ISO_Z || p.tok() == Tok.ISO_Z_SHORT || p.tok() == Tok.ISO_Z_SECONDS)
              && pos < value.length() && value.charAt(pos) == 'Z') {
            zone = ZoneOffset.UTC;
            pos++;
            break;
          }
          if (pos >= value.length() || (value.charAt(pos) != '+' && value.charAt(pos) != '-')) {
            throw bad(value);
          }
          int sign = value.charAt(pos) == '-' ? -1 : 1;
          pos++;
          int h = digits(value, pos, 2, 2);
          pos += 2;
          int m = 0;
          if (p.tok() == Tok.ISO_Z_COLON || p.tok() == Tok.NUM_TZ_COLON || p.tok() == Tok.ISO_Z_SECONDS) {
            if (pos >= value.length() || value.charAt(pos) != ':') {
              throw bad(value);
            }
            m = digits(value, pos + 1, 2, 2);
            pos += 3;
          } else if (p.tok() == Tok.ISO_Z || p.tok() == Tok.NUM_TZ) {
            m = digits(value, pos, 2, 2);
            pos += 2;
          }
          zone = ZoneOffset.ofTotalSeconds(sign * (h * 3600 + m * 60));
        }
        case TZ_NAME -> {
          int j = pos;
          while (j < value.length() && Character.isUpperCase(value.charAt(j))) {
            j++;
          }
          String abbr = value.substring(pos, j);
          zone = abbr.equals("UTC") || abbr.equals("GMT") ? ZoneOffset.UTC : ZoneOffset.UTC;
          pos = j;
        }
        default -> { }
      }
    }
    if (pos != value.length()) {
      throw new IllegalArgumentException("parsing time \"" + value + "\": extra text: \"" + value.substring(pos) + "\"");
    }
    if (hasPm) {
      if (hour > 12) {
        throw bad(value);
      }
      if (pm && hour < 12) {
        hour += 12;
      } else if (!pm && hour == 12) {
        hour = 0;
      }
    }
    if (month < 1 || month > 12) {
      throw new IllegalArgumentException("parsing time \"" + value + "\": month out of range");
    }
    if (day < 1 || day > LocalDate.of(year, month, 1).lengthOfMonth() || hour > 23 || min > 59 || sec > 59) {
      throw new IllegalArgumentException("parsing time \"" + value + "\": day out of range");
    }
    return ZonedDateTime.of(year, month, day, hour, min, sec, nano, zone == null ? defaultZone : zone);
  }

  private static int fraction(String digits) {
    if (digits.isEmpty()) {
      return 0;
    }
    String d = digits.length() > 9 ? digits.substring(0, 9) : digits;
    return Integer.parseInt(d) * (int) Math.pow(10, 9 - d.length());
  }

  private static int digits(String s, int pos, int min, int max) {
    if (pos + min > s.length()) {
      throw bad(s);
    }
    for (int i = pos; i < pos + min; i++) {
      if (!Character.isDigit(s.charAt(i))) {
        throw bad(s);
      }
    }
    return Integer.parseInt(s.substring(pos, pos + min));
  }

  private static IllegalArgumentException bad(String value) {
    return new IllegalArgumentException("parsing time \"" + value + "\" as layout: cannot parse");
  }
}
