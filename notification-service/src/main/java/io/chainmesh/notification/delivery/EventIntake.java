package io.chainmesh.notification.delivery;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

import io.chainmesh.common.events.EventCodec;
import io.chainmesh.common.events.EventEnvelope;
import io.chainmesh.notification.endpoint.WebhookEndpoint;
import io.chainmesh.notification.endpoint.WebhookEndpointRepository;

/**
 * Turns a stream event into one delivery per matching enabled endpoint of its tenant. The event id is recorded as
 * processed in the same transaction that creates the deliveries; the stream consumer acknowledges only after this
 * returns (after commit). A crash before commit re-reads the entry and creates the deliveries then; a crash after commit
 * but before the ack re-reads it and finds the id: nothing lost, nothing created twice.
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

    void accept(String stream, EventEnvelope event) {
        if (event.id() == null || event.id().isBlank() || event.type() == null || event.tenantId() == null) {
            log.debug("Ignoring event without id, type or tenant on {}", stream);
            return;
        }
        Integer created = tx.execute(status -> {
            if (!deliveries.markProcessed(event.id(), stream)) {
                return 0;
            }
            List<WebhookEndpoint> targets = endpoints.enabledOf(event.tenantId()).stream()
                    .filter(e -> e.accepts(event.type())).toList();
            if (targets.isEmpty()) {
                return 0;
            }
            String payload = EventCodec.encode(event);
            Instant now = clock.instant();
            Instant due = now.plus(schedule.initialDelay());
            int n = 0;
            for (WebhookEndpoint endpoint : targets) {
                if (deliveries.insert(event.tenantId(), UUID.randomUUID(), endpoint.id(), event.id(), event.type(),
                        payload, due, now)) {
                    n++;
                }
            }
            return n;
        });
        if (created != null && created > 0) {
            worker.wake();
        }
    }
}
