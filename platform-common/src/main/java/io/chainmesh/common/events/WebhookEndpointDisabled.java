package io.chainmesh.common.events;

import java.time.Instant;
import java.util.UUID;

/** {@code webhook.endpoint_disabled}: the platform stopped delivering to one of the tenant's endpoints. */
public record WebhookEndpointDisabled(UUID endpointId, String url, String reason, String detail, Instant failingSince)
        implements PlatformEvent {
}
