package dev.gatehouse.engine.builtins;

import static dev.gatehouse.engine.builtins.RegoEval.eval;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Regular expressions with Go's matching rules, and gobwas globs. Recorded with OPA v1.22.2. */
class PatternBuiltinsTest {

  @Test
  void successiveMatchesSkipAnEmptyMatchRightAfterAMatch() {
    assertThat(eval("regex.find_n(\"a*\", \"baaac\", -1)")).isEqualTo("[\"\",\"aaa\",\"\"]");
    assertThat(eval("regex.split(\"a*\", \"baaac\")")).isEqualTo("[\"b\",\"c\"]");
    assertThat(eval("regex.replace(\"abc\", \"a*\", \"-\")")).isEqualTo("\"-b-c-\"");
  }

  @Test
  void replacementTemplatesReadNamesGreedilyAsGoDoes() {
    assertThat(eval("regex.replace(\"abc\", \"(b)\", \"$1x\")")).isEqualTo("\"ac\"");
    assertThat(eval("regex.replace(\"abc\", \"(b)\", \"${1}x\")")).isEqualTo("\"abxc\"");
    assertThat(eval("regex.replace(\"abc\", \"(?P<x>b)\", \"[${x}]\")")).isEqualTo("\"a[b]c\"");
  }

  @Test
  void groupsThatDidNotTakePartAreEmptyStrings() {
    assertThat(eval("regex.find_all_string_submatch_n(\"(a)(x)?\", \"aa\", -1)"))
        .isEqualTo("[[\"a\",\"a\",\"\"],[\"a\",\"a\",\"\"]]");
  }

  @Test
  void invalidPatternsReportGoRegexpErrors() {
    assertThat(eval("regex.match(\"[\", \"a\")"))
        .isEqualTo("ERR eval_builtin_error regex.match: error parsing regexp: missing closing ]: `[`");
    assertThat(eval("regex.template_match(\"{{\", \"a\", \"{\", \"}\")"))
        .isEqualTo("ERR eval_builtin_error regex.template_match: unbalanced braces in \"{{\"");
  }

  @Test
  void globStarsStopAtDelimitersAndDoubleStarsDoNot() {
    assertThat(eval("glob.match(\"*.github.com\", [], \"api.github.com\")")).isEqualTo("true");
    assertThat(eval("glob.match(\"*.github.com\", [], \"api.cdn.github.com\")")).isEqualTo("false");
    assertThat(eval("glob.match(\"**.github.com\", [], \"api.cdn.github.com\")")).isEqualTo("true");
    assertThat(eval("glob.match(\"*:github:com\", [\":\"], \"api:github:com\")")).isEqualTo("true");
    assertThat(eval("glob.match(\"*\", null, \"a.b\")")).isEqualTo("true");
  }

  @Test
  void globClassesAlternativesAndSyntaxErrors() {
    assertThat(eval("glob.match(\"[!a-c]at\", [], \"fat\")")).isEqualTo("true");
    assertThat(eval("glob.match(\"{a,b*}c\", null, \"bzzc\")")).isEqualTo("true");
    assertThat(eval("glob.match(\"[]\", [], \"a\")"))
        .isEqualTo("ERR eval_builtin_error glob.match: glob: syntax error at 2: could not parse range");
    assertThat(eval("glob.match(\"{a\", [], \"a\")"))
        .isEqualTo("ERR eval_builtin_error glob.match: glob: syntax error at 2: unclosed `{`");
  }

  @Test
  void globsMatchLooksForACommonNonEmptyString() {
    assertThat(eval("regex.globs_match(\"a.a.[0-9]+z\", \".b.b2359825792*594823z\")")).isEqualTo("true");
    assertThat(eval("regex.globs_match(\"[a-z]+\", \"[0-9]*\")")).isEqualTo("false");
    assertThat(eval("regex.globs_match(\"a*\", \"\")")).isEqualTo("false");
    assertThat(eval("regex.globs_match(\"[\", \"a\")")).isEqualTo(
        "ERR eval_builtin_error regex.globs_match: input:[, pos:1, found [ without matching ]: the input provided is invalid");
  }
}
