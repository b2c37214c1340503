package io.chainmesh.notification.delivery;

import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import org.springframework.stereotype.Service;

import io.chainmesh.common.events.EventCodec;
import io.chainmesh.common.events.EventEnvelope;
import io.chainmesh.common.events.WebhookTestRequested;
import io.chainmesh.notification.ErrorCode;
import io.chainmesh.notification.endpoint.Cursors;
import io.chainmesh.notification.endpoint.WebhookEndpoint;
import io.chainmesh.notification.endpoint.WebhookEndpointRepository;

/** A tenant's delivery log, manual replay, and test messages. Another tenant's endpoint or delivery is a 404. */
@Service
class DeliveryService {

    static final String TEST_MESSAGE = "Test message from Chainmesh";
    private static final Set<String> STATUSES = Set.of(DeliveryRepository.PENDING, DeliveryRepository.SUCCEEDED,
            DeliveryRepository.FAILED);

    private final DeliveryRepository deliveries;
    private final WebhookEndpointRepository endpoints;
    private final DeliveryWorker worker;
    private final Clock clock;

    DeliveryService(DeliveryRepository deliveries, WebhookEndpointRepository endpoints, DeliveryWorker worker,
            Clock clock) {
        this.deliveries = deliveries;
        this.endpoints = endpoints;
        this.worker = worker;
        this.clock = clock;
    }

    DeliveryView.Page list(UUID tenantId, UUID endpointId, String status, Integer limit, String cursor) {
        requireEndpoint(tenantId, endpointId);
        if (status != null && !STATUSES.contains(status)) {
            throw ErrorCode.INVALID_PARAMETER.exception("Parameter 'status' must be one of pending, succeeded, failed")
                    .with("parameter", "status");
        }
        int size = limit == null ? 50 : limit;
        if (size < 1 || size > 200) {
            throw ErrorCode.INVALID_PARAMETER.exception("Parameter 'limit' must be between 1 and 200")
                    .with("parameter", "limit");
        }
        long before = cursor == null ? Long.MAX_VALUE : Cursors.decode(cursor);
        List<DeliveryRepository.Row> rows = deliveries.page(tenantId, endpointId, status, before, size + 1);
        List<DeliveryRepository.Row> page = rows.stream().limit(size).toList();
        String next = rows.size() > size ? Cursors.encode(page.get(size - 1).seq()) : null;
        return new DeliveryView.Page(views(tenantId, page), next);
    }

    DeliveryView get(UUID tenantId, UUID id) {
        return views(tenantId, List.of(require(tenantId, id))).get(0);
    }

    /** Replays one delivery now with a fresh retry schedule and the same {@code webhook-id}. */
    DeliveryView retry(UUID tenantId, UUID id) {
        DeliveryRepository.Row row = require(tenantId, id);
        WebhookEndpoint endpoint = requireEndpoint(tenantId, row.endpointId());
        if (!endpoint.enabled()) {
            throw ErrorCode.ENDPOINT_DISABLED.exception("The delivery's endpoint is disabled; enable it before replaying")
                    .with("endpointId", endpoint.id());
        }
        deliveries.replay(tenantId, id, clock.instant());
        worker.wake();
        return get(tenantId, id);
    }

    /** Sends a {@code webhook.test} event to this endpoint only, whatever its filter says. */
    DeliveryView test(UUID tenantId, UUID endpointId) {
        WebhookEndpoint endpoint = requireEndpoint(tenantId, endpointId);
        if (!endpoint.enabled()) {
            throw ErrorCode.ENDPOINT_DISABLED.exception("The endpoint is disabled; enable it to test it")
                    .with("endpointId", endpoint.id());
        }
        EventEnvelope event = EventEnvelope.of(tenantId, new WebhookTestRequested(endpointId, TEST_MESSAGE));
        UUID deliveryId = UUID.randomUUID();
        Instant now = clock.instant();
        deliveries.insert(tenantId, deliveryId, endpointId, event.id(), event.type(), EventCodec.encode(event), now,
                now);
        worker.wake();
        return get(tenantId, deliveryId);
    }

    private List<DeliveryView> views(UUID tenantId, List<DeliveryRepository.Row> rows) {
        Map<UUID, List<DeliveryView.Attempt>> attempts = deliveries
                .attemptsOf(tenantId, rows.stream().map(DeliveryRepository.Row::id).toList()).stream()
                .collect(Collectors.groupingBy(DeliveryRepository.AttemptRow::deliveryId, LinkedHashMap::new,
                        Collectors.mapping(a -> new DeliveryView.Attempt(a.attempt(), a.attemptedAt(), a.statusCode(),
                                a.latencyMs(), a.responseBody(), a.error()), Collectors.toList())));
        return rows.stream().map(r -> new DeliveryView(r.id(), r.endpointId(), r.messageId(), r.eventType(), r.status(),
                r.attempts(), DeliveryRepository.PENDING.equals(r.status()) ? r.nextAttemptAt() : null,
                r.lastStatusCode(), r.lastError(), r.createdAt(), r.completedAt(),
                attempts.getOrDefault(r.id(), List.of()))).toList();
    }

    private DeliveryRepository.Row require(UUID tenantId, UUID id) {
        return deliveries.find(tenantId, id).orElseThrow(() -> ErrorCode.notFound("Delivery", id));
    }

    private WebhookEndpoint requireEndpoint(UUID tenantId, UUID id) {
        return endpoints.find(tenantId, id).orElseThrow(() -> ErrorCode.notFound("Webhook endpoint", id));
    }
}
