package io.chainmesh.notification.delivery;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

import io.chainmesh.common.events.EventCodec;
import io.chainmesh.common.events.EventEnvelope;
import io.chainmesh.notification.endpoint.WebhookEndpoint;
import io.chainmesh.notification.endpoint.WebhookEndpointRepository;

/**
 * Turns the stream events of one read into one delivery per matching enabled endpoint of each event's tenant, all in
 * one transaction that also records the event ids as processed; the stream consumer acknowledges the entries only after
 * this returns (after commit). A crash before commit re-reads the entries and creates the deliveries then; a crash after
 * commit but before the ack re-reads them and finds the ids: nothing lost, nothing created twice. One transaction per
 * read rather than per event is what lets intake keep up with a burst; a batch that fails is handed over again one
 * event at a time by the consumer, so a poison event fails alone.
 *
 * <p>The webhook body is the event's envelope exactly as it travelled on the stream, whatever its type: endpoints
 * subscribe to wire type names (with wildcards), and a type this version does not know yet is delivered as well.
 */
@Component
class EventIntake {

    private static final Logger log = LoggerFactory.getLogger(EventIntake.class);

    private final DeliveryRepository deliveries;
    private final WebhookEndpointRepository endpoints;
    private final TransactionTemplate tx;
    private final DeliveryWorker worker;
    private final RetrySchedule schedule;
    private final Clock clock;

    EventIntake(DeliveryRepository deliveries, WebhookEndpointRepository endpoints, TransactionTemplate tx,
            DeliveryWorker worker, RetrySchedule schedule, Clock clock) {
        this.deliveries = deliveries;
        this.endpoints = endpoints;
        this.tx = tx;
        this.worker = worker;
        this.schedule = schedule;
        this.clock = clock;
    }

    void acceptAll(String stream, List<EventEnvelope> batch) {
        // by id: an at-least-once producer may have published the same event twice, possibly into the same read
        Map<String, EventEnvelope> events = new LinkedHashMap<>();
        for (EventEnvelope event : batch) {
            if (event.id() == null || event.id().isBlank() || event.type() == null || event.tenantId() == null) {
                log.debug("Ignoring event without id, type or tenant on {}", stream);
            } else {
                events.putIfAbsent(event.id(), event);
            }
        }
        if (events.isEmpty()) {
            return;
        }
        Integer created = tx.execute(status -> {
            Set<String> fresh = deliveries.markProcessed(events.keySet(), stream);
            if (fresh.isEmpty()) {
                return 0;
            }
            Set<UUID> tenants = fresh.stream().map(id -> events.get(id).tenantId()).collect(Collectors.toSet());
            Map<UUID, List<WebhookEndpoint>> endpointsByTenant = endpoints.enabledOf(tenants).stream()
                    .collect(Collectors.groupingBy(WebhookEndpoint::tenantId));
            Instant now = clock.instant();
            List<DeliveryRepository.NewDelivery> rows = new ArrayList<>();
            for (EventEnvelope event : events.values()) {
                if (!fresh.contains(event.id())) {
                    continue;
                }
                List<WebhookEndpoint> targets = endpointsByTenant.getOrDefault(event.tenantId(), List.of()).stream()
                        .filter(e -> e.accepts(event.type())).toList();
                if (targets.isEmpty()) {
                    continue;
                }
                String payload = EventCodec.encode(event); // once per event: every endpoint gets the same body
                Instant due = now.plus(schedule.initialDelay());
                for (WebhookEndpoint endpoint : targets) {
                    rows.add(new DeliveryRepository.NewDelivery(UUID.randomUUID(), event.tenantId(), endpoint.id(),
                            event.id(), event.type(), payload, due));
                }
            }
            return deliveries.insertAll(rows, now);
        });
        if (created != null && created > 0) {
            worker.wake();
        }
    }
}
