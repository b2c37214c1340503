package io.chainmesh.common.events;

import java.util.UUID;

/** {@code webhook.test}: the tenant asked for a test delivery to one endpoint. */
public record WebhookTestRequested(UUID endpointId, String message) implements PlatformEvent {
}
