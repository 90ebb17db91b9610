package dev.gatehouse.controlplane.web;

import dev.gatehouse.controlplane.auth.Identity;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Server-side browser sessions, in memory (a restart signs everyone out, which is the safe side).
 * The cookie holds only a random 256-bit id; identity, CSRF token and sign-in state stay here.
 * A session ends at sign-out, after {@code idle} without a request, at {@code absolute} after
 * sign-in, or when the credential it was opened with expires, whichever comes first.
 *
 * <p>Anonymous sessions exist too: the sign-in form needs a CSRF token before anyone is signed in
 * (login CSRF), and OIDC keeps its state, nonce and PKCE verifier in one. Signing in replaces the
 * session with a new id, so an id planted before sign-in is worthless afterwards.
 */
final class Sessions {
  static final int MAX_SESSIONS = 50_000;

  /** One browser's session. Mutable fields are only touched under the session's own lock. */
  static final class Session {
    final String id;
    final String csrf;
    final Instant created;
    volatile Identity identity;
    volatile Instant expires;
    volatile Instant lastSeen;
    volatile String flash;
    volatile boolean flashError;
    /** OIDC sign-in in progress: state, nonce, PKCE verifier, where to go afterwards. */
    volatile OidcLogin.Pending pending;

    Session(String id, String csrf, Instant now, Instant expires) {
      this.id = id;
      this.csrf = csrf;
      this.created = now;
      this.lastSeen = now;
      this.expires = expires;
    }

    boolean signedIn() {
      return identity != null;
    }

    void flash(String message, boolean error) {
      flash = message;
      flashError = error;
    }

    /** The pending flash message (and clears it): {@code [text, "error"|"ok"]} or null. */
    String[] takeFlash() {
      String f = flash;
      if (f == null) {
        return null;
      }
      flash = null;
      return new String[] {f, flashError ? "error" : "ok"};
    }

    /** Constant-time comparison of a submitted CSRF token with this session's. */
    boolean csrfMatches(String submitted) {
      if (submitted == null) {
        return false;
      }
      return MessageDigest.isEqual(csrf.getBytes(java.nio.charset.StandardCharsets.UTF_8),
          submitted.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }
  }

  private final ConcurrentHashMap<String, Session> byId = new ConcurrentHashMap<>();
  private final SecureRandom random = new SecureRandom();
  private final Clock clock;
  private final Duration idle;
  private final Duration absolute;
  private final Duration anonymous = Duration.ofMinutes(15);

  Sessions(Clock clock, Duration idle, Duration absolute) {
    this.clock = clock;
    this.idle = idle;
    this.absolute = absolute;
  }

  String randomId() {
    byte[] b = new byte[32];
    random.nextBytes(b);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
  }

  /** A new anonymous session (for the sign-in form and OIDC's round trip). */
  Session anonymous() {
    sweepIfFull();
    Instant now = clock.instant();
    Session s = new Session(randomId(), randomId(), now, now.plus(anonymous));
    byId.put(s.id, s);
    return s;
  }

  /**
   * A signed-in session under a fresh id (the old one, if any, is dropped), ending at the earliest
   * of the absolute lifetime and {@code credentialExpiry} (null: the credential does not expire).
   */
  Session signIn(Session old, Identity who, Instant credentialExpiry) {
    if (old != null) {
      byId.remove(old.id);
    }
    sweepIfFull();
    Instant now = clock.instant();
    Instant end = now.plus(absolute);
    if (credentialExpiry != null && credentialExpiry.isBefore(end)) {
      end = credentialExpiry;
    }
    Session s = new Session(randomId(), randomId(), now, end);
    s.identity = who;
    byId.put(s.id, s);
    return s;
  }

  /** The live session with this id, touched; null when unknown or expired (then it is dropped). */
  Session find(String id) {
    if (id == null || id.isEmpty()) {
      return null;
    }
    Session s = byId.get(id);
    if (s == null) {
      return null;
    }
    Instant now = clock.instant();
    if (!now.isBefore(s.expires) || (s.signedIn() && !now.isBefore(s.lastSeen.plus(idle)))) {
      byId.remove(id);
      return null;
    }
    s.lastSeen = now;
    return s;
  }

  /** Whether a signed-in session is still live, without counting as activity. */
  boolean alive(Session s) {
    Instant now = clock.instant();
    return byId.get(s.id) == s && now.isBefore(s.expires) && now.isBefore(s.lastSeen.plus(idle));
  }

  void end(Session s) {
    if (s != null) {
      byId.remove(s.id);
    }
  }

  int size() {
    return byId.size();
  }

  /** Drops expired sessions when the map grows large, then the oldest anonymous ones if still full. */
  private void sweepIfFull() {
    if (byId.size() < MAX_SESSIONS) {
      return;
    }
    Instant now = clock.instant();
    byId.values().removeIf(s -> !now.isBefore(s.expires) || (s.signedIn() && !now.isBefore(s.lastSeen.plus(idle))));
    if (byId.size() >= MAX_SESSIONS) {
      byId.values().removeIf(s -> !s.signedIn());
    }
  }
}
