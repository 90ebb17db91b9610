package dev.gatehouse.injector.config;

import java.time.Duration;

/**
 * HTTP server limits and timings.
 *
 * @param maxBodyBytes largest AdmissionReview accepted
 * @param bodyTimeout time allowed to receive a whole request body (slow clients get a 400)
 * @param headerTimeout time allowed to receive the request headers on a new connection (slow
 *     clients are disconnected); later requests on a kept-alive connection get idleTimeout
 * @param idleTimeout idle keep-alive connections are closed after this
 * @param shutdownDelay on SIGTERM, keep serving (while reporting unready) this long so endpoints drain
 * @param shutdownTimeout then wait at most this long for requests in flight
 * @param policyPollInterval how often the policy directory or bundle is checked for changes
 * @param tlsPollInterval how often the certificate and key files are checked for changes
 */
public record ServerConfig(long maxBodyBytes, Duration bodyTimeout, Duration headerTimeout, Duration idleTimeout, Duration shutdownDelay,
    Duration shutdownTimeout, Duration policyPollInterval, Duration tlsPollInterval) {}
