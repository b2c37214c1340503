package io.chainmesh.notification.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

import io.chainmesh.notification.NotificationServiceTestBase;

/**
 * Group commit of attempt outcomes: outcomes that end while another transaction is being written share the next one,
 * a bad outcome among them fails alone, and an endpoint's health follows its attempts in the order they ended. The
 * deliveries are real rows, due only in a day so the running worker leaves them alone; their attempts are handed to
 * the service's real recorder as the worker hands them.
 */
class OutcomeRecorderIntegrationTest extends NotificationServiceTestBase {

    @Autowired
    OutcomeRecorder recorder;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    TransactionTemplate tx;

    private static final WebhookTransport.Outcome OK = new WebhookTransport.Outcome(204, null, null, null, 3);
    /** A failure whose retry is an hour away, so nothing retries it while the test looks. */
    private static final WebhookTransport.Outcome BUSY = new WebhookTransport.Outcome(429, "busy", "3600", null, 3);

    @Test
    void outcomesEndingWhileAnotherIsBeingWrittenShareTheNextTransaction() throws Exception {
        UUID tenant = UUID.randomUUID();
        UUID endpoint = endpoint(tenant);
        List<FinishedAttempt> together = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            together.add(finished(pendingDelivery(tenant, endpoint), OK));
        }

        assertThat(recordTogether(tenant, together)).containsOnlyNulls();

        List<Map<String, Object>> rows = jdbc.sql("""
                SELECT status, (SELECT count(*) FROM delivery_attempts a WHERE a.delivery_id = d.id) AS logged
                FROM deliveries d WHERE id IN (:ids)""")
                .param("ids", together.stream().map(a -> a.delivery().id()).toList()).query().listOfRows();
        assertThat(rows).hasSize(4).allSatisfy(r -> {
            assertThat(r.get("status")).isEqualTo("succeeded");
            assertThat(((Number) r.get("logged")).intValue()).isEqualTo(1);
        });
        assertThat(writingTransactions(together)).as("written by one transaction").isEqualTo(1);
    }

    @Test
    void aBadOutcomeAmongOthersFailsAloneAndTheOthersAreRecorded() throws Exception {
        UUID tenant = UUID.randomUUID();
        UUID endpoint = endpoint(tenant);
        FinishedAttempt good1 = finished(pendingDelivery(tenant, endpoint), OK);
        // PostgreSQL text cannot hold a NUL character, so this outcome's attempt log row cannot be written (the transport
        // replaces NULs in what it keeps of a response body; this stands for any outcome that cannot be recorded).
        FinishedAttempt bad = finished(pendingDelivery(tenant, endpoint),
                new WebhookTransport.Outcome(500, "bad\u0000body", null, null, 3));
        FinishedAttempt good2 = finished(pendingDelivery(tenant, endpoint), OK);

        List<RuntimeException> failures = recordTogether(tenant, List.of(good1, bad, good2));

        assertThat(failures.get(0)).isNull();
        assertThat(failures.get(1)).isNotNull();
        assertThat(failures.get(2)).isNull();
        assertThat(status(good1)).isEqualTo("succeeded");
        assertThat(status(good2)).isEqualTo("succeeded");
        assertThat(status(bad)).as("due again when its lease ends").isEqualTo("pending");
        assertThat(jdbc.sql("SELECT count(*) FROM delivery_attempts WHERE delivery_id = :id")
                .param("id", bad.delivery().id()).query(Integer.class).single()).isZero();
    }

    @Test
    void anEndpointsHealthFollowsItsAttemptsInTheOrderTheyEndedWithinOneTransaction() throws Exception {
        UUID tenant = UUID.randomUUID();
        UUID recovered = endpoint(tenant);
        UUID failing = endpoint(tenant);
        FinishedAttempt failedFirst = finished(pendingDelivery(tenant, recovered), BUSY);
        FinishedAttempt succeededThen = finished(pendingDelivery(tenant, recovered), OK);
        FinishedAttempt succeededFirst = finished(pendingDelivery(tenant, failing), OK);
        FinishedAttempt failedThen = finished(pendingDelivery(tenant, failing), BUSY);

        List<FinishedAttempt> together = List.of(failedFirst, succeededThen, succeededFirst, failedThen);
        assertThat(recordTogether(tenant, together)).containsOnlyNulls();
        assertThat(writingTransactions(together)).as("the order inside one transaction is what is tested").isEqualTo(1);

        assertThat(failingSince(recovered)).as("its last attempt succeeded").isNull();
        assertThat(failingSince(failing)).as("its last attempt failed")
                .isEqualTo(failedThen.startedAt());
        assertThat(status(failedFirst)).isEqualTo("pending");
        assertThat(jdbc.sql("SELECT next_attempt_at FROM deliveries WHERE id = :id")
                .param("id", failedFirst.delivery().id()).query(OffsetDateTime.class).single().toInstant())
                .as("Retry-After 3600 honoured").isAfter(Instant.now().plus(Duration.ofMinutes(55)));
        assertThat(status(succeededThen)).isEqualTo("succeeded");
    }

    /**
     * Hands the outcomes to the recorder from one thread each, in this order, while the recorder is busy writing
     * another outcome (whose delivery row the test keeps locked): they queue up and are written together once that
     * transaction ends. Returns what each recording threw, null for success.
     */
    private List<RuntimeException> recordTogether(UUID tenant, List<FinishedAttempt> outcomes) throws Exception {
        UUID blockerTenant = UUID.randomUUID(); // endpoints per tenant are limited by the plan
        FinishedAttempt blocker = finished(pendingDelivery(blockerTenant, endpoint(blockerTenant)), OK);
        CountDownLatch locked = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Thread holder = Thread.ofVirtual().start(() -> tx.executeWithoutResult(s -> {
            jdbc.sql("SELECT id FROM deliveries WHERE id = :id FOR UPDATE").param("id", blocker.delivery().id())
                    .query().listOfRows();
            locked.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }));
        locked.await();
        Thread writer = Thread.ofVirtual().start(() -> recorder.record(blocker));
        await().atMost(Duration.ofSeconds(10)).until(() -> waitingOnARowLock() >= 1);

        List<AtomicReference<RuntimeException>> failures = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        for (FinishedAttempt outcome : outcomes) {
            AtomicReference<RuntimeException> failure = new AtomicReference<>();
            Thread t = Thread.ofVirtual().start(() -> {
                try {
                    recorder.record(outcome);
                } catch (RuntimeException e) {
                    failure.set(e);
                }
            });
            await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(10))
                    .until(() -> t.getState() == Thread.State.WAITING); // queued, waiting for the writer: the order is kept
            failures.add(failure);
            threads.add(t);
        }
        release.countDown();
        holder.join();
        writer.join();
        for (Thread t : threads) {
            t.join();
        }
        return failures.stream().map(AtomicReference::get).toList();
    }

    /** How many transactions last wrote these deliveries' rows (rows written by one share its id as xmin). */
    private int writingTransactions(List<FinishedAttempt> attempts) {
        return jdbc.sql("SELECT count(DISTINCT xmin::text) FROM deliveries WHERE id IN (:ids)")
                .param("ids", attempts.stream().map(a -> a.delivery().id()).toList()).query(Integer.class).single();
    }

    private int waitingOnARowLock() {
        return jdbc.sql("""
                SELECT count(*) FROM pg_stat_activity
                WHERE datname = current_database() AND wait_event_type = 'Lock'""").query(Integer.class).single();
    }

    private UUID endpoint(UUID tenant) throws Exception {
        return UUID.fromString(createEndpoint(tenant, "http://127.0.0.1:9/unused").path("id").asString());
    }

    private DeliveryRepository.Claimed pendingDelivery(UUID tenant, UUID endpoint) {
        UUID id = UUID.randomUUID();
        String messageId = UUID.randomUUID().toString();
        // as claimDue leaves a claimed row: attempt counted, due when the lease ends (here in a day)
        jdbc.sql("""
                INSERT INTO deliveries (id, tenant_id, endpoint_id, message_id, event_type, payload, status, attempts,
                                        next_attempt_at, created_at, updated_at)
                VALUES (:id, :tenant, :endpoint, :messageId, 'tx.confirmed', '{}', 'pending', 1,
                        now() + interval '1 day', now(), now())""")
                .param("id", id).param("tenant", tenant).param("endpoint", endpoint).param("messageId", messageId)
                .update();
        return new DeliveryRepository.Claimed(id, tenant, endpoint, messageId, "tx.confirmed", "{}", 1, 0,
                "http://127.0.0.1:9/unused", true, null, null, null);
    }

    private static FinishedAttempt finished(DeliveryRepository.Claimed delivery, WebhookTransport.Outcome outcome) {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS); // what PostgreSQL keeps
        return new FinishedAttempt(delivery, outcome, now.minusMillis(outcome.latencyMs()), now);
    }

    private String status(FinishedAttempt attempt) {
        return jdbc.sql("SELECT status FROM deliveries WHERE id = :id").param("id", attempt.delivery().id())
                .query(String.class).single();
    }

    private Instant failingSince(UUID endpoint) {
        OffsetDateTime t = jdbc.sql("SELECT failing_since FROM webhook_endpoints WHERE id = :id").param("id", endpoint)
                .query((rs, i) -> rs.getObject(1, OffsetDateTime.class)).list().get(0);
        return t == null ? null : t.toInstant();
    }
}
