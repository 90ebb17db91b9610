package dev.gatehouse.controlplane.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.controlplane.auth.Identity;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Session lifetimes on a clock the test moves: idle, absolute, the credential's own expiry, sign-out. */
class SessionsTest {
  static final class MovableClock extends Clock {
    Instant now = Instant.parse("2026-12-07T12:00:00Z");

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }

    void advance(Duration d) {
      now = now.plus(d);
    }
  }

  static final Identity ALICE = new Identity("alice", List.of("payments-devs"), Set.of(), "token");
  final MovableClock clock = new MovableClock();
  final Sessions sessions = new Sessions(clock, Duration.ofHours(1), Duration.ofHours(8));

  @Test
  void signingInIssuesANewIdAndDropsTheAnonymousOne() {
    Sessions.Session anon = sessions.anonymous();
    assertThat(anon.signedIn()).isFalse();
    Sessions.Session s = sessions.signIn(anon, ALICE, null);
    assertThat(s.id).isNotEqualTo(anon.id);
    assertThat(s.csrf).isNotEqualTo(anon.csrf);
    assertThat(sessions.find(anon.id)).isNull();
    assertThat(sessions.find(s.id).identity.user()).isEqualTo("alice");
  }

  @Test
  void anIdleSessionEndsAndAnActiveOneLastsUntilTheAbsoluteLimit() {
    Sessions.Session s = sessions.signIn(null, ALICE, null);
    for (int i = 0; i < 7; i++) {
      clock.advance(Duration.ofMinutes(59));
      assertThat(sessions.find(s.id)).as("after %d requests", i + 1).isNotNull();
    }
    clock.advance(Duration.ofMinutes(59)); // 7 h 52 m in: still within 8 h
    assertThat(sessions.find(s.id)).isNotNull();
    clock.advance(Duration.ofMinutes(9)); // 8 h 01 m
    assertThat(sessions.find(s.id)).isNull();

    Sessions.Session idle = sessions.signIn(null, ALICE, null);
    clock.advance(Duration.ofMinutes(61));
    assertThat(sessions.find(idle.id)).isNull();
  }

  @Test
  void aSessionEndsWithTheCredentialItWasOpenedWith() {
    Sessions.Session s = sessions.signIn(null, ALICE, clock.instant().plus(Duration.ofMinutes(30)));
    clock.advance(Duration.ofMinutes(29));
    assertThat(sessions.find(s.id)).isNotNull();
    clock.advance(Duration.ofMinutes(1));
    assertThat(sessions.find(s.id)).isNull();
  }

  @Test
  void anonymousSessionsLastFifteenMinutesAndSignOutEndsASession() {
    Sessions.Session anon = sessions.anonymous();
    clock.advance(Duration.ofMinutes(14));
    assertThat(sessions.find(anon.id)).isNotNull();
    clock.advance(Duration.ofMinutes(1));
    assertThat(sessions.find(anon.id)).isNull();

    Sessions.Session s = sessions.signIn(null, ALICE, null);
    sessions.end(s);
    assertThat(sessions.find(s.id)).isNull();
    assertThat(sessions.find(null)).isNull();
    assertThat(sessions.find("")).isNull();
  }

  @Test
  void idsAndTokensAreLongRandomAndCompareExactly() {
    Set<String> ids = new HashSet<>();
    for (int i = 0; i < 1000; i++) {
      Sessions.Session s = sessions.anonymous();
      assertThat(s.id).hasSize(43).matches("[A-Za-z0-9_-]+");
      ids.add(s.id);
      ids.add(s.csrf);
    }
    assertThat(ids).hasSize(2000);
    Sessions.Session s = sessions.anonymous();
    assertThat(s.csrfMatches(s.csrf)).isTrue();
    assertThat(s.csrfMatches(s.csrf + "x")).isFalse();
    assertThat(s.csrfMatches(s.csrf.substring(1))).isFalse();
    assertThat(s.csrfMatches(null)).isFalse();
  }

  @Test
  void aFlashMessageIsShownOnce() {
    Sessions.Session s = sessions.signIn(null, ALICE, null);
    s.flash("Request req-1 filed", false);
    assertThat(s.takeFlash()).containsExactly("Request req-1 filed", "ok");
    assertThat(s.takeFlash()).isNull();
  }
}
