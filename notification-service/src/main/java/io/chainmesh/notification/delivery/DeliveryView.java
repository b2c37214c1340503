package io.chainmesh.notification.delivery;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One delivery in the delivery log.
 *
 * @param webhookId     the {@code webhook-id} header: the same on every attempt and replay
 * @param status        {@code pending}, {@code succeeded} or {@code failed}
 * @param nextAttemptAt when a pending delivery is next tried
 * @param attemptLog    every attempt, oldest first, with status code (absent when no response), latency and the start
 *                      of the response body
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record DeliveryView(UUID id, UUID endpointId, String webhookId, String eventType, String status, int attempts,
        Instant nextAttemptAt, Integer lastStatusCode, String lastError, Instant createdAt, Instant completedAt,
        List<Attempt> attemptLog) {

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Attempt(int attempt, Instant attemptedAt, Integer statusCode, int latencyMs, String responseBody,
            String error) {
    }

    record Page(List<DeliveryView> items, String nextCursor) {
    }
}
