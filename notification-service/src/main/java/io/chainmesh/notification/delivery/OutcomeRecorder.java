package io.chainmesh.notification.delivery;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.ReentrantLock;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.transaction.support.TransactionTemplate;

import io.chainmesh.notification.endpoint.WebhookEndpointRepository;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Records what attempts ended with (the attempt log row, the delivery's new state, the endpoint's health) in
 * transactions shared by the attempts that end at about the same time: group commit. {@link #record} returns only
 * once the transaction holding its outcome has committed, as it did when every attempt had a transaction of its own,
 * so the at-least-once reasoning of {@link DeliveryWorker} is unchanged. Whichever waiting attempt gets the writer lock
 * writes every outcome queued by then: one multi-row insert into the attempt log and one update of all succeeded
 * deliveries, however many. Nothing waits for a batch to fill: an attempt alone is written at once, and outcomes
 * arriving while a transaction commits go together into the next.
 *
 * <p>Failed attempts (rare) go through the schedule, {@code Retry-After}, 410 and disable-after rules one by one, in
 * the order they ended, inside the same transaction; an endpoint's health follows its attempts in that order too. If
 * a shared transaction fails, its outcomes are written again one transaction each, so one bad outcome cannot take the
 * others with it; an outcome that still cannot be written is thrown to its attempt (the lease brings the delivery
 * back).
 */
final class OutcomeRecorder {

    private static final Logger log = LoggerFactory.getLogger(OutcomeRecorder.class);

    private final DeliveryRepository deliveries;
    private final WebhookEndpointRepository endpoints;
    private final RetrySchedule schedule;
    private final EndpointDisabledNotice disabledNotice;
    private final TransactionTemplate tx;
    private final Duration disableAfter;

    private final ConcurrentLinkedQueue<Queued> queue = new ConcurrentLinkedQueue<>();
    private final ReentrantLock writer = new ReentrantLock();

    private final Counter succeeded;
    private final Counter failedAttempts;

    OutcomeRecorder(DeliveryRepository deliveries, WebhookEndpointRepository endpoints, RetrySchedule schedule,
            EndpointDisabledNotice disabledNotice, TransactionTemplate tx, Duration disableAfter, MeterRegistry meters) {
        this.deliveries = deliveries;
        this.endpoints = endpoints;
        this.schedule = schedule;
        this.disabledNotice = disabledNotice;
        this.tx = tx;
        this.disableAfter = disableAfter;
        this.succeeded = Counter.builder("chainmesh.webhook.deliveries.succeeded")
                .description("Webhook deliveries that got a 2xx").register(meters);
        this.failedAttempts = Counter.builder("chainmesh.webhook.attempts.failed")
                .description("Webhook attempts that did not get a 2xx").register(meters);
    }

    /** An outcome waiting to be written; its fields are written and read under {@link #writer}. */
    private static final class Queued {
        final FinishedAttempt attempt;
        boolean written;
        RuntimeException failure;

        Queued(FinishedAttempt attempt) {
            this.attempt = attempt;
        }
    }

    /**
     * Records the outcome; returns after its transaction committed.
     *
     * @throws RuntimeException when it could not be recorded (the delivery comes back when its lease ends)
     */
    void record(FinishedAttempt attempt) {
        Queued mine = new Queued(attempt);
        queue.add(mine);
        writer.lock();
        try {
            while (!mine.written) {
                List<Queued> batch = new ArrayList<>();
                for (Queued q; (q = queue.poll()) != null; ) {
                    batch.add(q);
                }
                writeBatch(batch);
            }
        } finally {
            writer.unlock();
        }
        if (mine.failure != null) {
            throw mine.failure;
        }
    }

    private void writeBatch(List<Queued> batch) {
        if (batch.isEmpty()) {
            return;
        }
        try {
            List<FinishedAttempt> attempts = batch.stream().map(q -> q.attempt).toList();
            committed(attempts, tx.execute(s -> write(attempts)));
            batch.forEach(q -> q.written = true);
            return;
        } catch (RuntimeException e) {
            if (batch.size() == 1) {
                batch.get(0).failure = e;
                batch.get(0).written = true;
                return;
            }
            log.warn("Recording {} attempt outcomes together failed ({}); recording them one by one", batch.size(),
                    e.toString());
        }
        for (Queued q : batch) {
            try {
                committed(List.of(q.attempt), tx.execute(s -> write(List.of(q.attempt))));
            } catch (RuntimeException e) {
                q.failure = e;
            }
            q.written = true;
        }
    }

    private void committed(List<FinishedAttempt> attempts, Integer succeededDeliveries) {
        succeeded.increment(succeededDeliveries == null ? 0 : succeededDeliveries);
        failedAttempts.increment(attempts.stream().filter(a -> !a.outcome().isSuccess()).count());
    }

    /** @return how many deliveries succeeded (were ended by this write, not by a newer claim) */
    private int write(List<FinishedAttempt> attempts) {
        deliveries.recordAttempts(attempts);
        List<FinishedAttempt> successes = attempts.stream().filter(a -> a.outcome().isSuccess()).toList();
        int ended = deliveries.completeSucceeded(successes);
        // An endpoint's health follows its attempts in the order they ended: a success clears failing_since before a
        // later failure of the same endpoint is judged, and a failure after the endpoint's last success leaves it set.
        Set<EndpointKey> healthy = new LinkedHashSet<>();
        for (FinishedAttempt a : attempts) {
            EndpointKey endpoint = new EndpointKey(a.delivery().tenantId(), a.delivery().endpointId());
            if (a.outcome().isSuccess()) {
                healthy.add(endpoint);
            } else {
                if (healthy.remove(endpoint)) {
                    endpoints.markHealthy(endpoint.tenantId(), endpoint.endpointId());
                }
                recordFailure(a);
            }
        }
        healthy.forEach(e -> endpoints.markHealthy(e.tenantId(), e.endpointId()));
        return ended;
    }

    private record EndpointKey(UUID tenantId, UUID endpointId) {
    }

    private void recordFailure(FinishedAttempt a) {
        DeliveryRepository.Claimed d = a.delivery();
        WebhookTransport.Outcome outcome = a.outcome();
        Instant now = a.endedAt();
        Integer code = outcome.statusCode();
        String error = outcome.error() != null ? outcome.error() : "HTTP " + code;
        if (code != null && code == 410) {
            deliveries.complete(d.tenantId(), d.id(), d.attempt(), DeliveryRepository.FAILED, code, error, now);
            disable(d, "gone", "The receiver answered 410 Gone", null, now);
            return;
        }
        Instant failingSince = endpoints.markFailing(d.tenantId(), d.endpointId(), a.startedAt());
        if (!failingSince.plus(disableAfter).isAfter(now)) {
            deliveries.complete(d.tenantId(), d.id(), d.attempt(), DeliveryRepository.FAILED, code, error, now);
            disable(d, "failing", "No successful delivery since " + failingSince, failingSince, now);
            return;
        }
        Optional<Duration> retryAfter = code != null && (code == 429 || code == 503)
                ? RetrySchedule.parseRetryAfter(outcome.retryAfter(), now) : Optional.empty();
        int nextStep = d.scheduleStep() + 1;
        Optional<Duration> delay = schedule.delayBefore(nextStep, retryAfter);
        if (delay.isEmpty()) {
            deliveries.complete(d.tenantId(), d.id(), d.attempt(), DeliveryRepository.FAILED, code,
                    error + " (retry schedule exhausted)", now);
        } else {
            deliveries.reschedule(d.tenantId(), d.id(), d.attempt(), nextStep, now.plus(delay.get()), code, error, now);
        }
    }

    private void disable(DeliveryRepository.Claimed d, String reason, String detail, Instant failingSince, Instant now) {
        if (endpoints.disable(d.tenantId(), d.endpointId(), reason, now)) {
            log.info("Disabled webhook endpoint {} of tenant {}: {}", d.endpointId(), d.tenantId(), detail);
            disabledNotice.publish(d.tenantId(), d.endpointId(), d.url(), reason, detail, failingSince);
        }
    }
}
