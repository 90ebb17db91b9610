package dev.gatehouse.engine.builtins;

import static dev.gatehouse.engine.builtins.RegoEval.eval;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Strings count code points and follow Go's strings package. Expected values recorded with OPA v1.22.2. */
class StringBuiltinsTest {

  @Test
  void positionsAndLengthsCountCodePoints() {
    assertThat(eval("substring(\"😀abc\", 1, 2)")).isEqualTo("\"ab\"");
    assertThat(eval("indexof(\"😀😀a\", \"a\")")).isEqualTo("2");
    assertThat(eval("indexof_n(\"éaéa\", \"a\")")).isEqualTo("[1,3]");
    assertThat(eval("count(\"héllo\")")).isEqualTo("5");
    assertThat(eval("strings.count(\"aéé\", \"\")")).isEqualTo("4");
  }

  @Test
  void indexofOfAnEmptyNeedleIsAnError() {
    assertThat(eval("indexof(\"aéé\", \"\")")).isEqualTo("ERR eval_builtin_error indexof: empty search character");
  }

  @Test
  void indexofNFindsOverlappingMatches() {
    assertThat(eval("indexof_n(\"aaaa\", \"aa\")")).isEqualTo("[0,1,2]");
    assertThat(eval("strings.count(\"aaaa\", \"aa\")")).isEqualTo("2");
  }

  @Test
  void caseMappingIsPerCharacterAsInGo() {
    assertThat(eval("lower(\"ΑΣ İ\")")).isEqualTo("\"ασ i\"");
    assertThat(eval("upper(\"ß ǅ\")")).isEqualTo("\"ß Ǆ\"");
  }

  @Test
  void trimSpaceUsesUnicodeWhiteSpace() {
    assertThat(eval("trim_space(\"\\u00a0 x \\u0085\")")).isEqualTo("\"x\"");
  }

  @Test
  void replacingTheEmptyStringInsertsBetweenBytesLikeGo() {
    assertThat(eval("replace(\"abc\", \"\", \"-\")")).isEqualTo("\"-a-b-c-\"");
    assertThat(eval("replace(\"aéb\", \"\", \"-\")")).isEqualTo("\"-a-\uFFFD-\uFFFD-b-\"");
  }

  @Test
  void replaceNTriesPatternsInKeyOrderAtEachPosition() {
    assertThat(eval("strings.replace_n({\"a\": \"1\", \"ab\": \"2\"}, \"abc\")")).isEqualTo("\"1bc\"");
    assertThat(eval("strings.replace_n({\"\": \"X\", \"a\": \"Y\"}, \"ab\")")).isEqualTo("\"XYXbX\"");
  }

  @Test
  void splitNTakesPartsFromEitherEnd() {
    assertThat(eval("strings.split_n(\"a,b,c,d\", \",\", 2)")).isEqualTo("[\"a\",\"b\"]");
    assertThat(eval("strings.split_n(\"a,b,c,d\", \",\", -2)")).isEqualTo("[\"c\",\"d\"]");
    assertThat(eval("strings.split_n(\"a,b,c,d\", \",\", 0)")).isEqualTo("[]");
  }

  @Test
  void formatIntTruncatesTowardZeroAndChecksTheBaseSpelling() {
    assertThat(eval("format_int(-3.9, 10)")).isEqualTo("\"-3\"");
    assertThat(eval("format_int(-255, 2)")).isEqualTo("\"-11111111\"");
    assertThat(eval("format_int(255, 16.0)"))
        .isEqualTo("ERR eval_type_error format_int: operand 2 must be one of {2, 8, 10, 16}");
  }
}
