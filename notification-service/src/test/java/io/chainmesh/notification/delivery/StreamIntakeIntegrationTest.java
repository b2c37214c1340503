package io.chainmesh.notification.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.data.domain.Range;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.RedisCallback;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.types.RedisClientInfo;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

import io.chainmesh.common.events.EventEnvelope;
import io.chainmesh.common.events.EventPublisher;
import io.chainmesh.common.events.StreamConsumer;
import io.chainmesh.common.events.Streams;
import io.chainmesh.notification.NotificationServiceTestBase;
import io.chainmesh.notification.support.TestReceiver;
import io.chainmesh.notification.support.TestReceiver.Received;

/**
 * Batch intake (issue 5): the entries of one stream read become deliveries in one transaction and are acked together,
 * with the guarantees of per-event intake: a poison event fails alone, and a consumer that dies in the middle of a
 * batch, before or after its commit, loses and duplicates nothing when it restarts under the same name. Each test
 * reads a stream of its own with a consumer of its own feeding the service's real intake; the service's delivery
 * worker sends what the intake created to a real receiver.
 */
class StreamIntakeIntegrationTest extends NotificationServiceTestBase {

    private static final String GROUP = "notification";

    private static TestReceiver receiver;

    @Autowired
    EventIntake intake;

    @Autowired
    EventPublisher publisher;

    @Autowired
    StringRedisTemplate redis;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    TransactionTemplate tx;

    @BeforeAll
    static void startReceiver() throws Exception {
        receiver = new TestReceiver();
    }

    @AfterAll
    static void stopReceiver() {
        receiver.close();
    }

    /** What a process dying does to the consumer thread: nothing after it runs, nothing is acked. */
    static final class ProcessDied extends Error {
        ProcessDied() {
            super("the process died here (simulated by the test)");
        }
    }

    @Test
    void aPoisonEventInTheMiddleOfABatchIsDeadLetteredAloneAndTheOthersAreDeliveredOnce() throws Exception {
        String stream = "chainmesh.test.notification.batch." + UUID.randomUUID();
        UUID tenant = UUID.randomUUID();
        String path = "/hooks/" + UUID.randomUUID();
        UUID endpoint = UUID.fromString(createEndpoint(tenant, receiver.url(path), "tx.*").path("id").asString());
        EventEnvelope first = txEvent(tenant, "tx.mined");
        // PostgreSQL text cannot hold a NUL character: this event fails inside the intake's transaction.
        String poisonMark = UUID.randomUUID().toString();
        EventEnvelope poison = new EventEnvelope("poison\u0000" + poisonMark, "tx.failed", tenant, Instant.now(),
                Map.of());
        EventEnvelope last = txEvent(tenant, "tx.confirmed");
        publisher.publish(stream, first);
        publisher.publish(stream, poison);
        publisher.publish(stream, last);

        List<Integer> handedOver = new CopyOnWriteArrayList<>();
        StreamConsumer consumer = StreamConsumer.batched(redis, stream, GROUP, "batch-poison", events -> {
            handedOver.add(events.size());
            intake.acceptAll(stream, events);
        }, options(10, 1));
        consumer.start();
        try {
            await(Duration.ofSeconds(10), () -> receiver.at(path).size() == 2);
            await(Duration.ofSeconds(5), () -> deadLetters(stream).size() == 1);
            Thread.sleep(300);

            assertThat(handedOver).as("the three together, then, after that failed, one by one")
                    .containsExactly(3, 1, 1, 1);
            assertThat(receiver.at(path)).extracting(Received::webhookId)
                    .containsExactlyInAnyOrder(first.id(), last.id());
            assertThat(deadLetters(stream)).singleElement().asString().contains(poisonMark);
            assertThat(pending(stream)).isZero();
            assertThat(deliveryCount(endpoint)).isEqualTo(2);
        } finally {
            consumer.stop();
            redis.delete(List.of(stream, Streams.deadLetterOf(stream)));
        }
    }

    @Test
    void aConsumerDyingMidBatchBeforeOrAfterItsCommitLosesAndDuplicatesNothingWhenItRestarts() throws Exception {
        String stream = "chainmesh.test.notification.batch." + UUID.randomUUID();
        UUID tenant = UUID.randomUUID();
        String path = "/hooks/" + UUID.randomUUID();
        UUID endpoint = UUID.fromString(createEndpoint(tenant, receiver.url(path), "tx.*").path("id").asString());
        List<String> published = new ArrayList<>();
        for (int i = 0; i < 9; i++) {
            EventEnvelope event = txEvent(tenant, "tx.confirmed");
            published.add(event.id());
            publisher.publish(stream, event);
        }
        String name = "batch-restart"; // the same name in every life, as a restarted instance has
        try {
            // First life: the first read (3 entries) goes through; the second commits its deliveries, then the
            // process dies before acknowledging them.
            AtomicInteger reads = new AtomicInteger();
            runUntilItDies(StreamConsumer.batched(redis, stream, GROUP, name, events -> {
                intake.acceptAll(stream, events);
                if (reads.incrementAndGet() == 2) {
                    throw new ProcessDied();
                }
            }, options(3, 10)), () -> reads.get() == 2);
            assertThat(deliveryCount(endpoint)).isEqualTo(6);
            assertThat(pending(stream)).as("the second read, committed but not acknowledged").isEqualTo(3);

            // Second life: re-reads its pending entries first, finds their deliveries and creates none; its next read
            // dies inside the transaction, before commit.
            AtomicInteger reads2 = new AtomicInteger();
            runUntilItDies(StreamConsumer.batched(redis, stream, GROUP, name, events -> {
                if (reads2.incrementAndGet() == 2) {
                    tx.executeWithoutResult(s -> {
                        intake.acceptAll(stream, events);
                        throw new ProcessDied();
                    });
                }
                intake.acceptAll(stream, events);
            }, options(3, 10)), () -> reads2.get() == 2);
            assertThat(deliveryCount(endpoint)).as("the third read's deliveries were rolled back").isEqualTo(6);
            assertThat(pending(stream)).isEqualTo(3);

            // Third life: re-reads the rolled-back entries and creates their deliveries now.
            StreamConsumer third = StreamConsumer.batched(redis, stream, GROUP, name,
                    events -> intake.acceptAll(stream, events), options(3, 10));
            third.start();
            try {
                await(Duration.ofSeconds(10), () -> receiver.at(path).size() >= 9 && pending(stream) == 0);
                Thread.sleep(500); // anything created twice would be delivered by now
            } finally {
                third.stop();
            }
            assertThat(receiver.at(path)).extracting(Received::webhookId).doesNotHaveDuplicates()
                    .containsExactlyInAnyOrderElementsOf(published);
            assertThat(deliveryCount(endpoint)).isEqualTo(9);
            assertThat(jdbc.sql("SELECT count(*) FROM processed_events WHERE event_id IN (:ids)")
                    .param("ids", published).query(Integer.class).single()).isEqualTo(9);
        } finally {
            redis.delete(stream);
        }
    }

    /**
     * Spring Data Redis runs a blocking read on a dedicated connection; through RedisTemplate that connection is opened
     * and closed around every read. The consumer holds one instead: the same Redis client a second (fifty reads) later.
     * Runs on a Redis database of its own (15) so that the clients listed are this consumer's only.
     */
    @Test
    void aConsumerWaitingForEntriesKeepsItsConnectionInsteadOfOpeningOnePerRead() throws Exception {
        LettuceConnectionFactory appFactory = (LettuceConnectionFactory) redis.getRequiredConnectionFactory();
        RedisStandaloneConfiguration ownDatabase = new RedisStandaloneConfiguration(appFactory.getHostName(),
                appFactory.getPort());
        ownDatabase.setDatabase(15);
        LettuceConnectionFactory factory = new LettuceConnectionFactory(ownDatabase);
        factory.afterPropertiesSet();
        factory.start();
        StringRedisTemplate ownRedis = new StringRedisTemplate(factory);
        String stream = "chainmesh.test.notification.idle." + UUID.randomUUID();
        StreamConsumer consumer = StreamConsumer.batched(ownRedis, stream, GROUP, "idle-reader", events -> {
        }, new StreamConsumer.Options(10, Duration.ofMillis(20), Duration.ofMinutes(5), Duration.ofMinutes(5), 10));
        consumer.start();
        try {
            await(Duration.ofSeconds(5), () -> !blockedReaders(ownRedis).isEmpty());
            Set<String> before = blockedReaders(ownRedis);
            Thread.sleep(1000);
            Set<String> after = blockedReaders(ownRedis);
            assertThat(before).hasSize(1);
            assertThat(after).isEqualTo(before);
        } finally {
            consumer.stop();
            ownRedis.delete(stream);
            factory.destroy();
        }
    }

    /** Ids of the clients on database 15 whose last command was XREADGROUP. */
    private static Set<String> blockedReaders(StringRedisTemplate redis) {
        List<RedisClientInfo> clients = redis.execute((RedisCallback<List<RedisClientInfo>>) c ->
                c.serverCommands().getClientList());
        return clients.stream().filter(c -> "15".equals(c.get("db")) && "xreadgroup".equals(c.get("cmd")))
                .map(c -> c.get("id")).collect(Collectors.toSet());
    }

    private static void runUntilItDies(StreamConsumer consumer, BooleanSupplier died) throws InterruptedException {
        consumer.start();
        try {
            await(Duration.ofSeconds(10), died);
            Thread.sleep(300); // let anything that (wrongly) ran on settle
        } finally {
            consumer.stop();
        }
    }

    private static StreamConsumer.Options options(int batchSize, long maxDeliveries) {
        return new StreamConsumer.Options(batchSize, Duration.ofMillis(100), Duration.ofMinutes(5), Duration.ofMinutes(5),
                maxDeliveries);
    }

    private long pending(String stream) {
        return redis.opsForStream().pending(stream, GROUP).getTotalPendingMessages();
    }

    private List<Object> deadLetters(String stream) {
        return redis.opsForStream().range(Streams.deadLetterOf(stream), Range.unbounded())
                .stream().map(r -> r.getValue().get(Streams.FIELD)).toList();
    }

    private int deliveryCount(UUID endpoint) {
        return jdbc.sql("SELECT count(*) FROM deliveries WHERE endpoint_id = :id").param("id", endpoint)
                .query(Integer.class).single();
    }

    static EventEnvelope txEvent(UUID tenant, String type) {
        return EventEnvelope.of(type, tenant, Map.of("transactionId", UUID.randomUUID().toString()));
    }

    static void await(Duration timeout, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within " + timeout);
            }
            Thread.sleep(25);
        }
    }
}
