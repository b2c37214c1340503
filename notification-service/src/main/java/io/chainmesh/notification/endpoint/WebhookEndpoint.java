package io.chainmesh.notification.endpoint;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import io.chainmesh.common.crypto.EnvelopeCipher;

/**
 * A tenant's webhook endpoint as stored. Never leaves the service: the API shows {@link WebhookEndpointView}.
 *
 * @param eventTypes              patterns such as {@code tx.*}; empty means every event type
 * @param secret                  current {@code whsec_} signing secret, sealed ({@link SigningSecretCipher})
 * @param previousSecret          the secret before the last rotation, sealed, still signing until
 *                                {@code previousSecretExpiresAt} (overlap window); null when none
 * @param failingSince            start of the current run of failed attempts; null after a success
 */
public record WebhookEndpoint(UUID id, long seq, UUID tenantId, String url, String description, List<String> eventTypes,
        boolean enabled, String disabledReason, Instant disabledAt, EnvelopeCipher.Sealed secret,
        EnvelopeCipher.Sealed previousSecret,
        Instant previousSecretExpiresAt, Instant failingSince, Instant createdAt, Instant updatedAt) {

    public boolean accepts(String eventType) {
        return EventTypeFilter.matches(eventTypes, eventType);
    }
}
