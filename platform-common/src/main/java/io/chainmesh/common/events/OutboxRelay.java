package io.chainmesh.common.events;

import java.time.Duration;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Relays committed outbox rows to their Redis streams in order. Rows are locked with
 * {@code FOR UPDATE SKIP LOCKED}, so several replicas can run it; a crash between XADD and the
 * update re-sends the row, which consumers absorb because they de-duplicate by event id.
 */
public class OutboxRelay {

    private static final Logger log = LoggerFactory.getLogger(OutboxRelay.class);

    private final JdbcClient jdbc;
    private final TransactionTemplate tx;
    private final EventPublisher publisher;
    private final Duration retention;

    public OutboxRelay(JdbcClient jdbc, TransactionTemplate tx, EventPublisher publisher, Duration retention) {
        this.jdbc = jdbc;
        this.tx = tx;
        this.publisher = publisher;
        this.retention = retention;
    }

    private record Row(long seq, String stream, String envelope) {
    }

    /** Relays one batch; returns how many rows it published. */
    public int relayOnce() {
        Integer published = tx.execute(status -> {
            List<Row> rows = jdbc.sql("""
                    SELECT seq, stream, envelope FROM outbox WHERE published_at IS NULL
                    ORDER BY seq LIMIT 500 FOR UPDATE SKIP LOCKED""")
                    .query(Row.class).list();
            for (Row row : rows) {
                publisher.publishRaw(row.stream(), row.envelope());
                jdbc.sql("UPDATE outbox SET published_at = now() WHERE seq = :seq").param("seq", row.seq()).update();
            }
            return rows.size();
        });
        return published == null ? 0 : published;
    }

    @Scheduled(fixedDelayString = "${chainmesh.platform.outbox.poll-interval:200ms}")
    void relay() {
        try {
            while (relayOnce() == 500) {
                // keep draining a backlog
            }
        } catch (RuntimeException e) {
            log.warn("Outbox relay failed, will retry: {}", e.toString());
        }
    }

    @Scheduled(fixedDelayString = "PT1H", initialDelayString = "PT1M")
    void purge() {
        jdbc.sql("DELETE FROM outbox WHERE published_at < now() - make_interval(secs => :secs)")
                .param("secs", retention.toSeconds()).update();
    }
}
