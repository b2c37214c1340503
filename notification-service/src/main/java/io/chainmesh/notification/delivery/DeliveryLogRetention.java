package io.chainmesh.notification.delivery;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;

/**
 * Keeps the delivery log from growing for ever: deliveries that finished more than {@code retention} ago (succeeded,
 * or failed for good, including those failed because their endpoint was disabled) are deleted with their attempts,
 * in batches of {@code batchSize} so no statement holds many row locks or a long transaction. Deliveries still pending
 * (retries due) are never purged. Replicas may run it at the same time; {@code SKIP LOCKED} keeps them apart.
 */
class DeliveryLogRetention {

    private static final Logger log = LoggerFactory.getLogger(DeliveryLogRetention.class);

    private final DeliveryRepository deliveries;
    private final Duration retention;
    private final int batchSize;
    private final Clock clock;

    DeliveryLogRetention(DeliveryRepository deliveries, Duration retention, int batchSize, Clock clock) {
        this.deliveries = deliveries;
        this.retention = retention;
        this.batchSize = batchSize;
        this.clock = clock;
    }

    @Scheduled(fixedDelayString = "PT1H", initialDelayString = "PT10M")
    void purgeOnSchedule() {
        try {
            purge();
        } catch (RuntimeException e) {
            // the next run continues where this one stopped; nothing depends on the purge being prompt
            log.warn("Purging the delivery log failed: {}", e.toString());
        }
    }

    /** @return deliveries deleted */
    int purge() {
        Instant cutoff = clock.instant().minus(retention);
        int total = 0;
        int deleted;
        do {
            deleted = deliveries.purgeFinishedBefore(cutoff, batchSize);
            total += deleted;
        } while (deleted == batchSize);
        if (total > 0) {
            log.info("Purged {} deliveries finished before {} from the delivery log", total, cutoff);
        }
        return total;
    }
}
