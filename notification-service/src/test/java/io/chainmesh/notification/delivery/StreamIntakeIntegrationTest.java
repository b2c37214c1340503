package io.chainmesh.notification.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
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
import io.chainmesh.notification.support.TestEvents;
import io.chainmesh.notification.support.TestReceiver;
import io.chainmesh.notification.support.TestReceiver.Received;

/**
 * Batch intake: the entries of one stream read become deliveries in one transaction and are acked together,
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
        EventEnvelope first = TestEvents.transaction(tenant, "MINED");
        // PostgreSQL text cannot hold a NUL character: this event fails inside the intake's transaction.
        String poisonMark = UUID.randomUUID().toString();
        EventEnvelope failed = TestEvents.transaction(tenant, "FAILED");
        EventEnvelope poison = new EventEnvelope("poison\u0000" + poisonMark, failed.type(), tenant, failed.occurredAt(),
                failed.data());
        EventEnvelope last = TestEvents.transaction(tenant, "CONFIRMED");
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
            await().atMost(Duration.ofSeconds(10)).until(() -> receiver.at(path).size() == 2);
            await().atMost(Duration.ofSeconds(5)).until(() -> deadLetters(stream).size() == 1);
            holdsFor(Duration.ofMillis(300), () -> handedOver.size() == 4);

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
            EventEnvelope event = TestEvents.transaction(tenant, "CONFIRMED");
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
            }, options(3, 10)), reads);
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
            }, options(3, 10)), reads2);
            assertThat(deliveryCount(endpoint)).as("the third read's deliveries were rolled back").isEqualTo(6);
            assertThat(pending(stream)).isEqualTo(3);

            // Third life: re-reads the rolled-back entries and creates their deliveries now.
            StreamConsumer third = StreamConsumer.batched(redis, stream, GROUP, name,
                    events -> intake.acceptAll(stream, events), options(3, 10));
            third.start();
            try {
                await().atMost(Duration.ofSeconds(10)).until(() -> receiver.at(path).size() >= 9 && pending(stream) == 0);
                // anything created twice would be delivered by now
                holdsFor(Duration.ofMillis(500), () -> receiver.at(path).size() == 9);
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
            await().atMost(Duration.ofSeconds(5)).until(() -> !blockedReaders(ownRedis).isEmpty());
            Set<String> before = blockedReaders(ownRedis);
            assertThat(before).hasSize(1);
            // some fifty reads of 20 ms, all on the one connection
            holdsFor(Duration.ofSeconds(1), () -> blockedReaders(ownRedis).equals(before));
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

    /** Runs the consumer until its handler has been called twice (the second call dies), and no more after that. */
    private static void runUntilItDies(StreamConsumer consumer, AtomicInteger reads) {
        consumer.start();
        try {
            // the consumer's thread dies of ProcessDied on purpose: that is no failure of the test
            await().dontCatchUncaughtExceptions().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(10))
                    .until(() -> reads.get() == 2);
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
}
