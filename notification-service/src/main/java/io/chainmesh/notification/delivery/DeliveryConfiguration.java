package io.chainmesh.notification.delivery;

import java.time.Clock;
import java.util.List;
import java.util.stream.IntStream;
import java.util.random.RandomGenerator;

import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.transaction.support.TransactionTemplate;

import com.github.benmanes.caffeine.cache.Ticker;

import io.chainmesh.common.events.StreamConsumer;
import io.chainmesh.notification.NotificationProperties;
import io.chainmesh.notification.endpoint.SigningSecretCipher;
import io.chainmesh.notification.endpoint.WebhookEndpointRepository;
import io.chainmesh.notification.destination.TargetAddressPolicy;
import io.micrometer.core.instrument.MeterRegistry;

@Configuration(proxyBeanMethods = false)
class DeliveryConfiguration {

    @Bean
    RetrySchedule retrySchedule(NotificationProperties properties) {
        NotificationProperties.Delivery d = properties.delivery();
        return new RetrySchedule(d.retrySchedule(), d.jitter(), d.maxRetryAfter(), RandomGenerator.getDefault());
    }

    @Bean
    HttpWebhookTransport webhookTransport(TargetAddressPolicy policy, NotificationProperties properties) {
        NotificationProperties.Delivery d = properties.delivery();
        return new HttpWebhookTransport(policy, d.timeout(), d.concurrency(), d.responseBodyLimit());
    }

    @Bean
    OutcomeRecorder outcomeRecorder(DeliveryRepository deliveries, WebhookEndpointRepository endpoints,
            RetrySchedule schedule, EndpointDisabledNotice notice, TransactionTemplate tx,
            NotificationProperties properties, MeterRegistry meters) {
        return new OutcomeRecorder(deliveries, endpoints, schedule, notice, tx, properties.delivery().disableAfter(),
                meters);
    }

    @Bean
    SigningKeyCache signingKeyCache(SigningSecretCipher secrets, NotificationProperties properties) {
        NotificationProperties.Delivery d = properties.delivery();
        return new SigningKeyCache(secrets::open, d.signingSecretCacheTtl(), d.signingSecretCacheSize(),
                Ticker.systemTicker());
    }

    @Bean
    DeliveryWorker deliveryWorker(DeliveryRepository deliveries, SigningKeyCache signingKeys,
            WebhookTransport transport, OutcomeRecorder outcomes, TransactionTemplate tx,
            NotificationProperties properties, Clock clock, MeterRegistry meters) {
        return new DeliveryWorker(deliveries, signingKeys, transport, outcomes, tx, properties, clock, meters);
    }

    @Bean
    DeliveryLogRetention deliveryLogRetention(DeliveryRepository deliveries, NotificationProperties properties,
            Clock clock) {
        NotificationProperties.Delivery d = properties.delivery();
        return new DeliveryLogRetention(deliveries, d.retention(), d.purgeBatchSize(), clock);
    }

    /**
     * Consumer-group readers, {@code consumersPerStream} per stream, all feeding the same intake, each read's entries
     * together. Redis hands each entry to one reader; the intake's processed-event ledger makes a re-read (after a
     * crash) harmless.
     */
    @Bean
    StreamIntake streamIntake(StringRedisTemplate redis, EventIntake intake, NotificationProperties properties) {
        NotificationProperties.Intake config = properties.intake();
        List<StreamConsumer> consumers = config.streams().stream()
                .flatMap(stream -> IntStream.range(0, config.consumersPerStream())
                        .mapToObj(n -> StreamConsumer.batched(redis, stream, config.group(),
                                config.resolvedName() + "-" + n, events -> intake.acceptAll(stream, events),
                                config.options())))
                .toList();
        return new StreamIntake(consumers);
    }

    /** Starts and stops the stream consumers together. */
    static final class StreamIntake implements SmartLifecycle {
        private final List<StreamConsumer> consumers;
        private volatile boolean running;

        StreamIntake(List<StreamConsumer> consumers) {
            this.consumers = consumers;
        }

        @Override
        public void start() {
            consumers.forEach(StreamConsumer::start);
            running = true;
        }

        @Override
        public void stop() {
            consumers.parallelStream().forEach(StreamConsumer::stop);
            running = false;
        }

        @Override
        public boolean isRunning() {
            return running;
        }
    }
}
