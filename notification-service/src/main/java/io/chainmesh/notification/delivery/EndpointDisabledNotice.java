package io.chainmesh.notification.delivery;

import java.time.Instant;
import java.util.UUID;

import org.springframework.stereotype.Component;

import io.chainmesh.common.events.Outbox;
import io.chainmesh.common.events.WebhookEndpointDisabled;

/**
 * Tells the tenant that the platform disabled one of its endpoints: a {@code webhook.endpoint_disabled} event on
 * {@code chainmesh.tenant}, written to the outbox in the same transaction as the disabling. Any consumer of the stream
 * can act on it (mail, portal banner), and this service itself turns it into webhooks to the tenant's other endpoints
 * that subscribe to it. The endpoint also shows {@code enabled: false} with {@code disabledReason}.
 */
@Component
class EndpointDisabledNotice {

    private final Outbox outbox;

    EndpointDisabledNotice(Outbox outbox) {
        this.outbox = outbox;
    }

    void publish(UUID tenantId, UUID endpointId, String url, String reason, String detail, Instant failingSince) {
        outbox.append(tenantId, new WebhookEndpointDisabled(endpointId, url, reason, detail, failingSince));
    }
}
