package io.chainmesh.notification;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

import io.chainmesh.common.events.StreamConsumer;
import io.chainmesh.common.http.InternalClientSettings;
import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;

/**
 * Settings of notification-service, under {@code chainmesh.notification}.
 *
 * @param intake        how platform events are read from the streams
 * @param delivery      how webhooks are sent and retried
 * @param targets       which network addresses webhooks may be sent to (the SSRF guard)
 * @param endpoints     limits of the endpoints API
 * @param tenantService how tenant-service is called for the plan limits (per-plan endpoint quota); {@code url} from
 *                      env CHAINMESH_TENANT_URL
 * @param signingSecrets encryption at rest of the endpoints' signing secrets
 */
@Validated
@ConfigurationProperties("chainmesh.notification")
public record NotificationProperties(@Valid @DefaultValue Intake intake, @Valid @DefaultValue Delivery delivery,
        @Valid @DefaultValue Targets targets, @Valid @DefaultValue Endpoints endpoints,
        @Valid @NotNull InternalClientSettings tenantService, @Valid @NotNull SigningSecrets signingSecrets) {

    /**
     * @param streams         the streams whose events become webhooks: transactions, contract events, nodes, tenants
     * @param group           consumer group shared by all notification replicas
     * @param name            this instance's consumer name; must survive restarts so the instance re-reads what it read
     *                        but did not acknowledge. Blank means {@code notification-<hostname>}
     * @param batchSize       entries read per round trip, turned into deliveries in one transaction
     * @param block           how long one read waits for new entries
     * @param minIdle         how long another replica's entry must sit unacknowledged before this one claims it
     * @param reclaimInterval how often to look for such entries
     * @param maxDeliveries   reads after which a poison entry goes to the dead-letter stream
     * @param consumersPerStream readers per stream in this instance (named {@code <name>-<n>}, stable across restarts);
     *                        each commits all entries of a read together, and parallel readers overlap their
     *                        commits. Webhooks carry no ordering guarantee (Standard Webhooks), so none is lost by this
     * @param processedEventRetention how long processed event ids are remembered for de-duplication; must exceed
     *                        how long an entry can sit in a stream unacknowledged
     */
    public record Intake(
            @NotEmpty @DefaultValue({"chainmesh.tx", "chainmesh.contract-events", "chainmesh.chain", "chainmesh.tenant"})
            List<@NotBlank String> streams,
            @NotBlank @DefaultValue("notification") String group,
            @DefaultValue("") String name,
            @Min(1) @Max(10_000) @DefaultValue("200") int batchSize,
            @NotNull @DefaultValue("1s") Duration block,
            @NotNull @DefaultValue("30s") Duration minIdle,
            @NotNull @DefaultValue("15s") Duration reclaimInterval,
            @Min(1) @DefaultValue("10") long maxDeliveries,
            @Min(1) @Max(32) @DefaultValue("4") int consumersPerStream,
            @NotNull @DefaultValue("30d") Duration processedEventRetention) {

        public String resolvedName() {
            if (!name.isBlank()) {
                return name;
            }
            try {
                return "notification-" + InetAddress.getLocalHost().getHostName();
            } catch (UnknownHostException e) {
                throw new IllegalStateException("Cannot determine the host name; set chainmesh.notification.intake.name", e);
            }
        }

        public StreamConsumer.Options options() {
            return new StreamConsumer.Options(batchSize, block, minIdle, reclaimInterval, maxDeliveries);
        }
    }

    /**
     * @param timeout           the whole of one attempt: connect, send, response (Standard Webhooks: 15 s)
     * @param retrySchedule     delay before each attempt, the first normally 0 (Standard Webhooks / Svix: immediately,
     *                          5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h); after the last one fails the delivery fails
     * @param jitter            each delay is spread by up to this fraction either way, so a recovering receiver
     *                          is not hit by every backlog retry in the same second
     * @param maxRetryAfter     the longest {@code Retry-After} (on 429/503) honoured; longer values are capped
     * @param disableAfter      an endpoint with no success for this long while attempts keep failing is disabled
     * @param lease             how long a claimed delivery is invisible to other workers; a worker that dies
     *                          mid-attempt leaves it due again after this (must exceed {@code timeout})
     * @param pollInterval      how often workers look for due deliveries when nothing woke them
     * @param batchSize         deliveries claimed per query
     * @param concurrency       attempts in flight per instance
     * @param responseBodyLimit characters of a receiver's response body kept in the delivery log
     * @param retention         how long a finished delivery (succeeded, or failed for good) and its attempts stay in
     *                          the delivery log after it finished; pending deliveries are kept whatever their age
     * @param purgeBatchSize    deliveries deleted per statement by the retention job, so a large backlog never
     *                          holds long locks
     * @param signingSecretCacheTtl how long an endpoint's signing secret, once decrypted, is kept in memory for the
     *                          next attempts (0: decrypt it for every attempt); a rotation takes effect at once anyway
     * @param signingSecretCacheSize the most decrypted signing secrets kept in memory; past it the least used are
     *                          dropped and decrypted again when next needed
     */
    public record Delivery(@NotNull @DefaultValue("15s") Duration timeout,
            @NotEmpty @DefaultValue({"0s", "5s", "5m", "30m", "2h", "5h", "10h", "10h"}) List<@NotNull Duration> retrySchedule,
            @DecimalMin("0.0") @DecimalMax("0.5") @DefaultValue("0.2") double jitter,
            @NotNull @DefaultValue("24h") Duration maxRetryAfter,
            @NotNull @DefaultValue("5d") Duration disableAfter,
            @NotNull @DefaultValue("60s") Duration lease,
            @NotNull @DefaultValue("250ms") Duration pollInterval,
            @Min(1) @Max(1000) @DefaultValue("100") int batchSize,
            @Min(1) @Max(2000) @DefaultValue("64") int concurrency,
            @Min(0) @Max(65536) @DefaultValue("1024") int responseBodyLimit,
            @NotNull @DefaultValue("30d") Duration retention,
            @Min(1) @Max(100_000) @DefaultValue("1000") int purgeBatchSize,
            @NotNull @DefaultValue("30s") Duration signingSecretCacheTtl,
            @Min(1) @DefaultValue("10000") long signingSecretCacheSize) {
    }

    /**
     * @param allowPrivate  allow loopback and private (RFC 1918, ULA, CGNAT) targets, for on-premise installs and local
     *                      development ({@code bin/chainmesh up} sets it). Cloud metadata, link-local, multicast,
     *                      unspecified and reserved addresses stay refused whatever this says
     * @param allowedCidrs  private ranges trusted even when {@code allowPrivate} is off, e.g. {@code 10.20.0.0/16} for
     *                      one internal network; same hard refusals as above
     */
    public record Targets(@DefaultValue("false") boolean allowPrivate, @DefaultValue({}) List<@NotBlank String> allowedCidrs) {
    }

    /**
     * @param maxDescriptionLength longest endpoint description accepted
     * @param rotationOverlap      how long the previous secret keeps signing (second signature) after a rotation
     *                             when the request names no overlap
     * @param maxRotationOverlap   the longest overlap a rotation may ask for
     * @param maxEventTypes        most event-type patterns per endpoint
     */
    public record Endpoints(@Min(1) @DefaultValue("500") int maxDescriptionLength,
            @NotNull @DefaultValue("24h") Duration rotationOverlap,
            @NotNull @DefaultValue("7d") Duration maxRotationOverlap,
            @Min(1) @DefaultValue("50") int maxEventTypes) {
    }

    /**
     * @param activeKeyId id of the key-encryption key new and re-sealed signing secrets are encrypted under
     * @param keys        key-encryption keys by id, each 32 bytes base64 (AES-256); keep a retired id here until start-up
     *                    has re-sealed every endpoint under the active key, so rotation never loses a secret
     */
    public record SigningSecrets(@NotBlank String activeKeyId, @NotEmpty Map<String, String> keys) {
    }
}
