package dev.gatehouse.injector.config;

/** The webhook's whole configuration (the {@code --config} YAML merged over the built-in defaults). */
public record WebhookConfig(InjectionConfig injection, ValidationConfig validation, ServerConfig server,
    NotificationConfig notifications) {}
