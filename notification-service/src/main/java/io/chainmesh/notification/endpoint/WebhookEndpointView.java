package io.chainmesh.notification.endpoint;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * An endpoint as the API shows it. The secret appears only in the creation and rotation responses.
 *
 * @param disabledReason why the platform disabled it ({@code gone}: the receiver answered 410; {@code failing}: no
 *                       success for the configured period); null when enabled or disabled by the tenant
 * @param previousSecretExpiresAt end of the rotation overlap, while the old secret still signs; else null
 * @param failingSince   start of the current run of failed attempts, null when the last attempt succeeded
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record WebhookEndpointView(UUID id, String url, String description, List<String> eventTypes, boolean enabled,
        String disabledReason, Instant disabledAt, Instant previousSecretExpiresAt, Instant failingSince,
        Instant createdAt, Instant updatedAt, String secret) {

    static WebhookEndpointView of(WebhookEndpoint e, Instant now) {
        return withSecret(e, now, null);
    }

    static WebhookEndpointView withSecret(WebhookEndpoint e, Instant now, String secret) {
        Instant overlap = e.previousSecret() != null && e.previousSecretExpiresAt() != null
                && e.previousSecretExpiresAt().isAfter(now) ? e.previousSecretExpiresAt() : null;
        return new WebhookEndpointView(e.id(), e.url(), e.description(), e.eventTypes(), e.enabled(),
                e.disabledReason(), e.disabledAt(), overlap, e.failingSince(), e.createdAt(), e.updatedAt(), secret);
    }

    record Page(List<WebhookEndpointView> items, String nextCursor) {
    }

    record RotatedSecret(UUID id, String secret, Instant previousSecretExpiresAt) {
    }
}
