package io.chainmesh.analytics;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

import io.chainmesh.common.events.StreamConsumer;
import io.chainmesh.common.events.Streams;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;

/**
 * Settings of analytics-service, under {@code chainmesh.analytics}.
 *
 * @param consumer how the usage stream is read
 * @param query    limits of the usage query API
 */
@Validated
@ConfigurationProperties("chainmesh.analytics")
public record AnalyticsProperties(@Valid @DefaultValue Consumer consumer, @Valid @DefaultValue Query query) {

    /**
     * @param stream          the stream holding usage events
     * @param group           consumer group shared by all analytics replicas
     * @param name            this instance's consumer name; must survive restarts so the instance re-reads the
     *                        entries it had read but not acknowledged. Blank means {@code analytics-<hostname>}
     *                        (the pod name on Kubernetes)
     * @param batchSize       entries read per round trip
     * @param block           how long one read waits for new entries
     * @param minIdle         how long another replica's entry must sit unacknowledged before this one claims it
     * @param reclaimInterval how often to look for such entries
     * @param maxDeliveries   deliveries after which an entry goes to the dead-letter stream
     */
    public record Consumer(@NotBlank @DefaultValue(Streams.USAGE) String stream,
            @NotBlank @DefaultValue("analytics") String group,
            @DefaultValue("") String name,
            @Min(1) @Max(10_000) @DefaultValue("200") int batchSize,
            @NotNull @DefaultValue("1s") Duration block,
            @NotNull @DefaultValue("30s") Duration minIdle,
            @NotNull @DefaultValue("15s") Duration reclaimInterval,
            @Min(1) @DefaultValue("10") long maxDeliveries) {

        /** The configured name, or {@code analytics-<hostname>} when none is set. */
        public String resolvedName() {
            if (!name.isBlank()) {
                return name;
            }
            try {
                return "analytics-" + InetAddress.getLocalHost().getHostName();
            } catch (UnknownHostException e) {
                throw new IllegalStateException(
                        "Cannot determine the host name; set chainmesh.analytics.consumer.name", e);
            }
        }

        public StreamConsumer.Options options() {
            return new StreamConsumer.Options(batchSize, block, minIdle, reclaimInterval, maxDeliveries);
        }
    }

    /**
     * @param maxBuckets   the most buckets one usage query may return; bounds the work of a query
     * @param defaultRange the range queried when neither {@code from} nor {@code to} is given
     */
    public record Query(@Min(1) @DefaultValue("1440") int maxBuckets, @NotNull @DefaultValue("24h") Duration defaultRange) {
    }
}
