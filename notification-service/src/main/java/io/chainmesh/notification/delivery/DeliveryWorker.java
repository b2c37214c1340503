package io.chainmesh.notification.delivery;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.transaction.support.TransactionTemplate;

import io.chainmesh.notification.NotificationProperties;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/**
 * The database-backed delivery scheduler: claims due deliveries in batches (leased, {@code SKIP LOCKED}, so replicas
 * share the work and a restart loses nothing), signs and sends each on a virtual thread, and records the outcome and
 * the next due time ({@link OutcomeRecorder}, whose transactions attempts ending together share). All state is in
 * PostgreSQL; a {@code kill -9} leaves every delivery either due at its retry time or, if it was in flight, due when
 * its lease ends. New deliveries wake the scheduler ({@link #wake}); the poll interval only covers retries falling due.
 *
 * <p>Outcomes (Standard Webhooks): 2xx succeeds; 410 disables the endpoint; anything else, no response included, is
 * retried on the schedule, not before a {@code Retry-After} sent with 429/503; an endpoint with no success for
 * {@code disable-after} is disabled and the tenant notified ({@link EndpointDisabledNotice}).
 */
class DeliveryWorker implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(DeliveryWorker.class);

    private final DeliveryRepository deliveries;
    private final SigningKeyCache signingKeys;
    private final WebhookTransport transport;
    private final OutcomeRecorder outcomes;
    private final TransactionTemplate tx;
    private final NotificationProperties.Delivery config;
    private final Duration processedRetention;
    private final Clock clock;

    private final Semaphore inFlight;
    private final BlockingQueue<Boolean> wakeups = new ArrayBlockingQueue<>(1);
    private final AtomicBoolean running = new AtomicBoolean();
    private volatile Thread loop;
    private ExecutorService attempts;

    private final Timer latency;

    DeliveryWorker(DeliveryRepository deliveries, SigningKeyCache signingKeys, WebhookTransport transport,
            OutcomeRecorder outcomes, TransactionTemplate tx, NotificationProperties properties, Clock clock,
            MeterRegistry meters) {
        this.deliveries = deliveries;
        this.signingKeys = signingKeys;
        this.transport = transport;
        this.outcomes = outcomes;
        this.tx = tx;
        this.config = properties.delivery();
        this.processedRetention = properties.intake().processedEventRetention();
        this.clock = clock;
        this.inFlight = new Semaphore(config.concurrency());
        this.latency = Timer.builder("chainmesh.webhook.attempt.latency")
                .description("Duration of one webhook attempt").register(meters);
    }

    /** Looks for due deliveries now instead of at the next poll (called after new deliveries commit). */
    void wake() {
        wakeups.offer(Boolean.TRUE);
    }

    @Override
    public void start() {
        if (running.compareAndSet(false, true)) {
            attempts = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("webhook-attempt-", 0).factory());
            loop = Thread.ofVirtual().name("webhook-scheduler").start(this::run);
        }
    }

    @Override
    public void stop() {
        running.set(false);
        wake();
        Thread t = loop;
        try {
            if (t != null) {
                t.join(5_000);
            }
            attempts.shutdown();
            // In-flight attempts may finish (and record their outcome) within the timeout; anything cut off is due
            // again when its lease ends.
            attempts.awaitTermination(config.timeout().toMillis() + 1_000, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public boolean isRunning() {
        return running.get();
    }

    /** Stops after the stream consumers (higher phase stops first), so intake never wakes a stopped worker. */
    @Override
    public int getPhase() {
        return SmartLifecycle.DEFAULT_PHASE - 100;
    }

    private void run() {
        while (running.get()) {
            try {
                inFlight.acquire();
                int free = 1 + inFlight.drainPermits();
                int wanted = Math.min(free, config.batchSize());
                int used = 0;
                List<DeliveryRepository.Claimed> claimed = List.of();
                try {
                    Instant now = clock.instant();
                    signingKeys.purgeExpired();
                    claimed = deliveries.claimDue(now, now.plus(config.lease()), wanted);
                    for (DeliveryRepository.Claimed delivery : claimed) {
                        attempts.submit(() -> {
                            try {
                                attempt(delivery);
                            } catch (RuntimeException e) {
                                // The lease makes it due again; an error here is a bug or a database outage.
                                log.error("Recording the outcome of delivery {} failed; retried after its lease",
                                        delivery.id(), e);
                            } finally {
                                inFlight.release();
                            }
                        });
                        used++;
                    }
                } finally {
                    // each submitted attempt holds one permit until it ends; the rest go back now
                    inFlight.release(free - used);
                }
                if (claimed.size() < wanted) {
                    wakeups.poll(config.pollInterval().toMillis(), TimeUnit.MILLISECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                log.warn("Claiming due deliveries failed, retrying: {}", e.toString());
                sleep(Duration.ofSeconds(1));
            }
        }
    }

    private void attempt(DeliveryRepository.Claimed d) {
        Instant started = clock.instant();
        if (!d.endpointEnabled()) {
            tx.executeWithoutResult(s -> deliveries.complete(d.tenantId(), d.id(), d.attempt(), DeliveryRepository.FAILED,
                    null, "endpoint_disabled", started));
            return;
        }
        long timestamp = started.getEpochSecond();
        List<String> signingSecrets = new ArrayList<>(2);
        signingSecrets.add(signingKeys.open(d.tenantId(), d.endpointId(), d.secret()));
        if (d.previousSecret() != null && d.previousSecretExpiresAt() != null
                && d.previousSecretExpiresAt().isAfter(started)) {
            signingSecrets.add(signingKeys.open(d.tenantId(), d.endpointId(), d.previousSecret()));
        }
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("webhook-id", d.messageId());
        headers.put("webhook-timestamp", Long.toString(timestamp));
        headers.put("webhook-signature",
                WebhookSigner.signatureHeader(d.messageId(), timestamp, d.payload(), signingSecrets));
        WebhookTransport.Outcome outcome = transport.send(d.url(), headers, d.payload(), config.timeout());
        latency.record(Duration.ofMillis(outcome.latencyMs()));
        outcomes.record(new FinishedAttempt(d, outcome, started, clock.instant()));
    }

    @Scheduled(fixedDelayString = "PT1H", initialDelayString = "PT5M")
    void purgeProcessedEvents() {
        int purged = deliveries.purgeProcessedBefore(clock.instant().minus(processedRetention));
        if (purged > 0) {
            log.info("Forgot {} processed event ids older than {}", purged, processedRetention);
        }
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
