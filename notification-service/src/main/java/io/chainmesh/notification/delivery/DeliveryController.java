package io.chainmesh.notification.delivery;

import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

import io.chainmesh.common.events.EventCodec;
import io.chainmesh.common.events.EventEnvelope;
import io.chainmesh.common.identity.Caller;
import io.chainmesh.common.identity.Identity;
import io.chainmesh.common.problem.ApiException;
import io.chainmesh.notification.endpoint.Cursors;
import io.chainmesh.notification.endpoint.WebhookEndpoint;
import io.chainmesh.notification.endpoint.WebhookEndpointRepository;
import io.swagger.v3.oas.annotations.Parameter;

/** The delivery log, manual replay, and test messages. Another tenant's endpoint or delivery is a 404. */
@RestController
class DeliveryController {

    static final String TEST_EVENT_TYPE = "webhook.test";
    private static final Set<String> STATUSES = Set.of(DeliveryRepository.PENDING, DeliveryRepository.SUCCEEDED,
            DeliveryRepository.FAILED);

    private final DeliveryRepository deliveries;
    private final WebhookEndpointRepository endpoints;
    private final DeliveryWorker worker;
    private final Clock clock;

    DeliveryController(DeliveryRepository deliveries, WebhookEndpointRepository endpoints, DeliveryWorker worker,
            Clock clock) {
        this.deliveries = deliveries;
        this.endpoints = endpoints;
        this.worker = worker;
        this.clock = clock;
    }

    @GetMapping("/v1/webhooks/{id}/deliveries")
    DeliveryView.Page list(@Parameter(hidden = true) Identity identity, @PathVariable UUID id,
            @RequestParam(required = false) String status, @RequestParam(required = false) Integer limit,
            @RequestParam(required = false) String cursor) {
        UUID tenantId = tenant(identity, "read");
        requireEndpoint(tenantId, id);
        if (status != null && !STATUSES.contains(status)) {
            throw ApiException.badRequest("invalid_parameter",
                    "Parameter 'status' must be one of pending, succeeded, failed").with("parameter", "status");
        }
        int size = limit == null ? 50 : limit;
        if (size < 1 || size > 200) {
            throw ApiException.badRequest("invalid_parameter", "Parameter 'limit' must be between 1 and 200")
                    .with("parameter", "limit");
        }
        long before = cursor == null ? Long.MAX_VALUE : Cursors.decode(cursor);
        List<DeliveryRepository.Row> rows = deliveries.page(tenantId, id, status, before, size + 1);
        List<DeliveryRepository.Row> page = rows.stream().limit(size).toList();
        String next = rows.size() > size ? Cursors.encode(page.get(size - 1).seq()) : null;
        return new DeliveryView.Page(views(tenantId, page), next);
    }

    @GetMapping("/v1/deliveries/{id}")
    DeliveryView get(@Parameter(hidden = true) Identity identity, @PathVariable UUID id) {
        UUID tenantId = tenant(identity, "read");
        return views(tenantId, List.of(require(tenantId, id))).get(0);
    }

    /**
     * Replays one delivery now with a fresh retry schedule and the same {@code webhook-id}, so a receiver that did get
     * it can tell. 409 when its endpoint is disabled (enable it first).
     */
    @PostMapping("/v1/deliveries/{id}/retry")
    @ResponseStatus(HttpStatus.ACCEPTED)
    DeliveryView retry(@Parameter(hidden = true) Identity identity, @PathVariable UUID id) {
        UUID tenantId = tenant(identity, "write");
        DeliveryRepository.Row row = require(tenantId, id);
        WebhookEndpoint endpoint = requireEndpoint(tenantId, row.endpointId());
        if (!endpoint.enabled()) {
            throw ApiException.conflict("endpoint_disabled",
                    "The delivery's endpoint is disabled; enable it before replaying").with("endpointId", endpoint.id());
        }
        deliveries.replay(tenantId, id, clock.instant());
        worker.wake();
        return views(tenantId, List.of(require(tenantId, id))).get(0);
    }

    /** Sends a {@code webhook.test} event to this endpoint only, whatever its filter says. */
    @PostMapping("/v1/webhooks/{id}/test")
    @ResponseStatus(HttpStatus.ACCEPTED)
    DeliveryView test(@Parameter(hidden = true) Identity identity, @PathVariable UUID id) {
        UUID tenantId = tenant(identity, "write");
        WebhookEndpoint endpoint = requireEndpoint(tenantId, id);
        if (!endpoint.enabled()) {
            throw ApiException.conflict("endpoint_disabled", "The endpoint is disabled; enable it to test it")
                    .with("endpointId", endpoint.id());
        }
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("endpointId", id.toString());
        data.put("message", "Test message from Chainmesh");
        EventEnvelope event = EventEnvelope.of(TEST_EVENT_TYPE, tenantId, data);
        UUID deliveryId = UUID.randomUUID();
        Instant now = clock.instant();
        deliveries.insert(tenantId, deliveryId, id, event.id(), event.type(), EventCodec.encode(event), now, now);
        worker.wake();
        return views(tenantId, List.of(require(tenantId, deliveryId))).get(0);
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
        return deliveries.find(tenantId, id).orElseThrow(() -> ApiException.notFound("Delivery", id));
    }

    private WebhookEndpoint requireEndpoint(UUID tenantId, UUID id) {
        return endpoints.find(tenantId, id).orElseThrow(() -> ApiException.notFound("Webhook endpoint", id));
    }

    private static UUID tenant(Identity identity, String scope) {
        UUID tenantId = Caller.tenantOf(identity);
        Caller.requireScope(identity, scope);
        return tenantId;
    }
}
