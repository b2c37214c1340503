package io.chainmesh.notification.endpoint;

import java.util.List;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;

/** Request bodies of the endpoints API. */
final class WebhookEndpointRequests {

    private WebhookEndpointRequests() {
    }

    /**
     * @param eventTypes patterns such as {@code tx.*} or {@code contract.event}; absent or empty means every event
     * @param enabled    defaults to true
     */
    record Create(@NotBlank @Size(max = 2048) String url, String description, List<String> eventTypes,
            Boolean enabled) {
    }

    /** Every field optional; absent means unchanged. {@code enabled: true} re-enables a disabled endpoint. */
    record Update(@Size(max = 2048) String url, String description, List<String> eventTypes, Boolean enabled) {
    }

    /** @param overlapSeconds how long the old secret keeps signing alongside the new one; default from configuration */
    record RotateSecret(@Min(0) @Max(7 * 24 * 3600) Long overlapSeconds) {
    }
}
