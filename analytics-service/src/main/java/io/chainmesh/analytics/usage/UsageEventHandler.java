package io.chainmesh.analytics.usage;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

import io.chainmesh.common.events.EventEnvelope;
import io.chainmesh.common.events.EventHandler;
import io.chainmesh.common.events.EventType;

/**
 * Folds one usage event into its tenant's minute row, exactly once per event id: the id goes into
 * {@code processed_events} in the same transaction as the aggregate update, so a redelivery (the stream is
 * at-least-once) finds the id and changes nothing. The consumer acknowledges after this returns, i.e. after commit.
 */
@Component
class UsageEventHandler implements EventHandler {

    private static final Logger log = LoggerFactory.getLogger(UsageEventHandler.class);

    private final UsageAggregateRepository aggregates;
    private final TransactionTemplate tx;
    private final TenantUsageMetrics metrics;

    UsageEventHandler(UsageAggregateRepository aggregates, TransactionTemplate tx, TenantUsageMetrics metrics) {
        this.aggregates = aggregates;
        this.tx = tx;
        this.metrics = metrics;
    }

    @Override
    public void handle(EventEnvelope event) {
        if (EventType.fromWireName(event.type()) != EventType.USAGE_RECORDED) {
            log.debug("Ignoring event {} of type {}", event.id(), event.type());
            return;
        }
        UsageSample usage = UsageSample.of(event);
        Boolean counted = tx.execute(status -> {
            if (!aggregates.markProcessed(usage.eventId())) {
                return false;
            }
            aggregates.addToMinute(usage.tenantId(), usage);
            return true;
        });
        if (Boolean.TRUE.equals(counted)) {
            // After commit, so a rolled-back event never reaches the billing counters.
            metrics.counted(usage);
        } else {
            log.debug("Usage event {} was already counted", usage.eventId());
        }
    }
}
