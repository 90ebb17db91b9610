package dev.gatehouse.engine.builtins.core;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RegexesTest {

  @Test
  void theCompiledPatternCacheStaysBounded() {
    for (int i = 0; i < Regexes.CACHE_LIMIT * 2; i++) {
      Regexes.compile("^bounded-" + i + "$");
    }
    assertThat(Regexes.cacheSize()).isLessThanOrEqualTo(Regexes.CACHE_LIMIT);
  }

  @Test
  void aCachedPatternIsReusedNotRecompiled() {
    assertThat(Regexes.compile("^reused$")).isSameAs(Regexes.compile("^reused$"));
  }
}
