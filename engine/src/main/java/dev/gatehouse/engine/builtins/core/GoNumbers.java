package dev.gatehouse.engine.builtins.core;

import dev.gatehouse.engine.builtins.BuiltinException;
import dev.gatehouse.engine.value.NumberValue;
import java.math.BigDecimal;
import java.util.Locale;
import java.util.regex.Pattern;

/** Go's strconv.ParseFloat syntax and errors, for to_number. */
final class GoNumbers {
  // java.util.regex is fine here: fixed patterns over our own syntax, not Rego regexes
  private static final Pattern DECIMAL = Pattern.compile("[+-]?(?:[0-9]+\\.?[0-9]*|\\.[0-9]+)(?:[eE][+-]?[0-9]+)?");
  private static final Pattern HEX = Pattern.compile(
      "[+-]?0[xX](?:[0-9a-fA-F]+\\.?[0-9a-fA-F]*|\\.[0-9a-fA-F]+)[pP][+-]?[0-9]+");
  private static final Pattern JSON = Pattern.compile("-?(?:0|[1-9][0-9]*)(?:\\.[0-9]+)?(?:[eE][+-]?[0-9]+)?");

  private GoNumbers() {}

  /** to_number of a string: the number as written, or OPA's error. */
  static NumberValue parseFloatString(String written) {
    String s = written;
    if (s.indexOf('_') >= 0) {
      // Go allows underscores between digits ("1_000"); the value is that of the digits
      if (!underscoreOk(s)) {
        throw BuiltinException.error("strconv.ParseFloat: parsing " + GoFmt.goQuote(s) + ": invalid syntax");
      }
      s = s.replace("_", "");
    }
    String trimmed = s.replaceFirst("^[+-]+", "").toLowerCase(Locale.ROOT);
    if (trimmed.equals("inf") || trimmed.equals("infinity") || trimmed.equals("nan")) {
      throw BuiltinException.typeError("operand 1 must be valid number string but got string");
    }
    boolean decimal = DECIMAL.matcher(s).matches();
    boolean hex = !decimal && HEX.matcher(s).matches();
    if (!decimal && !hex) {
      throw BuiltinException.error("strconv.ParseFloat: parsing " + GoFmt.goQuote(written) + ": invalid syntax");
    }
    double d = Double.parseDouble(s);
    if (Double.isInfinite(d)) {
      throw BuiltinException.error("strconv.ParseFloat: parsing " + GoFmt.goQuote(written) + ": value out of range");
    }
    if (JSON.matcher(s).matches()) {
      return NumberValue.parse(s);
    }
    // OPA keeps "1_000" as the number's text, which its JSON encoder then refuses (an opa bug
    // not copied: the value is kept as digits, so arithmetic and comparisons agree with opa)
    // Go accepts forms JSON does not (+1, .5, 5., 0x1p3); OPA keeps that text, which it then
    // cannot serialize. We keep the value instead.
    return hex ? NumberValue.of(d) : NumberValue.of(new BigDecimal(s.startsWith("+") ? s.substring(1) : s));
  }

  /** Go's strconv underscoreOK: underscores only between digits, or after a base prefix. */
  private static boolean underscoreOk(String s) {
    char saw = '^';
    int i = 0;
    if (!s.isEmpty() && (s.charAt(0) == '-' || s.charAt(0) == '+')) {
      s = s.substring(1);
    }
    boolean hex = false;
    if (s.length() >= 2 && s.charAt(0) == '0' && "box".indexOf(Character.toLowerCase(s.charAt(1))) >= 0) {
      i = 2;
      saw = '0';
      hex = Character.toLowerCase(s.charAt(1)) == 'x';
    }
    for (; i < s.length(); i++) {
      char c = s.charAt(i);
      char lc = Character.toLowerCase(c);
      if (c >= '0' && c <= '9' || hex && lc >= 'a' && lc <= 'f') {
        saw = '0';
        continue;
      }
      if (c == '_') {
        if (saw != '0') {
          return false;
        }
        saw = '_';
        continue;
      }
      if (saw == '_') {
        return false;
      }
      saw = '!';
    }
    return saw != '_';
  }
}
