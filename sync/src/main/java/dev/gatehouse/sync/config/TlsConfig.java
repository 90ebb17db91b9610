package dev.gatehouse.sync.config;

import java.nio.file.Path;

/**
 * TLS towards a service: OPA's {@code tls.ca_cert} (PEM bundle of trusted CAs; the JVM's defaults
 * when null) and {@code credentials.client_tls} (PEM certificate chain and PKCS#8 private key).
 */
public record TlsConfig(Path caCert, Path clientCert, Path clientKey) {}
