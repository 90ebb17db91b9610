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
  static NumberValue parseFloatString(String s) {
    String trimmed = s.replaceFirst("^[+-]+", "").toLowerCase(Locale.ROOT);
    if (trimmed.equals("inf") || trimmed.equals("infinity") || trimmed.equals("nan")) {
      throw BuiltinException.typeError("operand 1 must be valid number string but got string");
    }
    boolean decimal = DECIMAL.matcher(s).matches();
    boolean hex = !decimal && HEX.matcher(s).matches();
    if (!decimal && !hex) {
      throw BuiltinException.error("strconv.ParseFloat: parsing " + GoFmt.goQuote(s) + ": invalid syntax");
    }
    double d = Double.parseDouble(s);
    if (Double.isInfinite(d)) {
      throw BuiltinException.error("strconv.ParseFloat: parsing " + GoFmt.goQuote(s) + ": value out of range");
    }
    if (JSON.matcher(s).matches()) {
      return NumberValue.parse(s);
    }
    // Go accepts forms JSON does not (+1, .5, 5., 0x1p3); OPA keeps that text, which it then
    // cannot serialize. We keep the value instead.
    return hex ? NumberValue.of(d) : NumberValue.of(new BigDecimal(s.startsWith("+") ? s.substring(1) : s));
  }
}
