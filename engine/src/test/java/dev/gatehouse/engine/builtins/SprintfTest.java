package dev.gatehouse.engine.builtins;

import static dev.gatehouse.engine.builtins.RegoEval.eval;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** sprintf is Go's fmt.Sprintf over int64, *big.Int, float64 and strings. Recorded with OPA v1.22.2. */
class SprintfTest {

  @Test
  void compositeValuesPrintAsRegoText() {
    assertThat(eval("sprintf(\"%v\", [{\"b\": {1, 2}, \"a\": null}])")).isEqualTo("\"{\\\"a\\\": null, \\\"b\\\": {1, 2}}\"");
    assertThat(eval("sprintf(\"%v\", [set()])")).isEqualTo("\"set()\"");
    assertThat(eval("sprintf(\"%v\", [[1.5, \"é\\u00ad\"]])")).isEqualTo("\"[1.5, \\\"é\\\\u00ad\\\"]\"");
  }

  @Test
  void numbersWithAFractionOrExponentAreFloats() {
    assertThat(eval("sprintf(\"%v %v %v\", [1.0, 1e6, 0.00001])")).isEqualTo("\"1 1e+06 1e-05\"");
    assertThat(eval("sprintf(\"%d\", [1.5])")).isEqualTo("\"%!d(float64=1.5)\"");
    assertThat(eval("sprintf(\"%v\", [2e308])")).isEqualTo("\"2e308\"");
  }

  @Test
  void bigIntegersFormatThroughBigIntRules() {
    assertThat(eval("sprintf(\"%s %x\", [123456789123456789123, 123456789012345678901234567890])"))
        .isEqualTo("\"123456789123456789123 18ee90ff6c373e0ee4e3f0ad2\"");
    assertThat(eval("sprintf(\"%e\", [123456789012345678901234567890])"))
        .isEqualTo("\"%!e(big.Int=123456789012345678901234567890)\"");
  }

  @Test
  void flagsWidthPrecisionAndIndexesWorkAsInGo() {
    assertThat(eval("sprintf(\"%05s|%-5d|%+.2e|%08.3f\", [\"ab\", 7, 1234.5678, -3.14159])"))
        .isEqualTo("\"000ab|7    |+1.23e+03|-003.142\"");
    assertThat(eval("sprintf(\"%[2]d %[1]d %*d|%.*f\", [1, 2])")).isEqualTo("\"2 1 %!d(MISSING)|%!(BADPREC)%!f(MISSING)\"");
    assertThat(eval("sprintf(\"%[3]d %[0]d %[1]*d\", [1, 2])")).isEqualTo("\"%!d(BADINDEX) %!d(BADINDEX) 2\"");
    assertThat(eval("sprintf(\"%*d|%.*f\", [5, 1, 2, 3.14159])")).isEqualTo("\"    1|3.14\"");
  }

  @Test
  void mistakesReadAsGoReportsThem() {
    assertThat(eval("sprintf(\"%d %s\", [1])")).isEqualTo("\"1 %!s(MISSING)\"");
    assertThat(eval("sprintf(\"%d\", [1, \"a\", 2.5])")).isEqualTo("\"1%!(EXTRA string=a, float64=2.5)\"");
    assertThat(eval("sprintf(\"%d\", [\"x\"])")).isEqualTo("\"%!d(string=x)\"");
    assertThat(eval("sprintf(\"%\", [])")).isEqualTo("\"%!(NOVERB)\"");
  }

  @Test
  void fixedPrecisionRoundsHalfToEven() {
    assertThat(eval("sprintf(\"%.0f %.0f %.0f %.2f\", [0.5, 1.5, 2.5, 1.005])")).isEqualTo("\"0 2 2 1.00\"");
  }
}
