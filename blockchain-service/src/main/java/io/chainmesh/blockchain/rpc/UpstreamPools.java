package io.chainmesh.blockchain.rpc;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import io.chainmesh.blockchain.BlockchainProperties;
import io.chainmesh.blockchain.upstream.UpstreamClient;
import io.chainmesh.blockchain.upstream.UpstreamFailure;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * A node's upstreams with one circuit breaker each, and the failover over them: an upstream is tried in its listed
 * order unless its breaker is open; a failure that is the upstream's fault ({@link UpstreamFailure.Kind#upstreamFault}:
 * a transport error, a timeout or an HTTP status other than 200) counts against its breaker and the next upstream is
 * tried. When every breaker is open, each upstream is still tried once (a guess beats a certain error). So the caller
 * sees an error only when every upstream failed this very request. JSON-RPC errors inside a 200 are answers, not
 * failures.
 *
 * <p>Retrying elsewhere after a failure mid-request is safe for reads; for {@code eth_sendRawTransaction} it can
 * submit the same signed transaction twice, which the chain deduplicates by hash (the second answer is a
 * "known transaction"/"nonce too low" error at worst).
 */
@Component
class UpstreamPools {

    private static final Logger log = LoggerFactory.getLogger(UpstreamPools.class);

    /** Every upstream of the node failed for this request. */
    static class AllUpstreamsFailed extends Exception {
        AllUpstreamsFailed(String message) {
            super(message, null, false, false);
        }
    }

    record Upstream(URI uri, CircuitBreaker breaker) {
    }

    record Pool(List<String> urls, List<Upstream> upstreams) {
    }

    private final UpstreamClient http;
    private final CircuitBreakerConfig breakerConfig;
    /** The breakers' state of nodes in use; a node not called for an hour starts again with closed breakers. */
    private final Cache<UUID, Pool> pools = Caffeine.newBuilder().maximumSize(100_000)
            .expireAfterAccess(Duration.ofHours(1)).build();
    private final Counter failovers;

    UpstreamPools(UpstreamClient http, BlockchainProperties properties, MeterRegistry registry) {
        this.http = http;
        BlockchainProperties.CircuitBreaker cb = properties.rpc().circuitBreaker();
        this.breakerConfig = CircuitBreakerConfig.custom()
                .failureRateThreshold(cb.failureRateThreshold())
                .slidingWindowSize(cb.slidingWindowSize())
                .minimumNumberOfCalls(cb.minimumCalls())
                .waitDurationInOpenState(cb.waitInOpenState())
                .build();
        this.failovers = Counter.builder("chainmesh.rpc.upstream.failovers")
                .description("JSON-RPC requests retried on another upstream after one failed").register(registry);
    }

    Pool poolFor(UUID nodeId, List<String> urls) {
        Pool pool = pools.getIfPresent(nodeId);
        if (pool != null && pool.urls().equals(urls)) {
            return pool;
        }
        List<Upstream> upstreams = urls.stream()
                .map(url -> new Upstream(URI.create(url), CircuitBreaker.of(nodeId + "@" + url, breakerConfig)))
                .toList();
        Pool fresh = new Pool(List.copyOf(urls), upstreams);
        pools.put(nodeId, fresh);
        return fresh;
    }

    /** Sends the body to the first upstream that answers; returns its response body verbatim. */
    byte[] send(UUID nodeId, List<String> urls, byte[] body) throws AllUpstreamsFailed {
        Pool pool = poolFor(nodeId, urls);
        List<UpstreamFailure.Kind> failures = new ArrayList<>(pool.upstreams().size());
        boolean tried = false;
        for (Upstream upstream : pool.upstreams()) {
            if (!upstream.breaker().tryAcquirePermission()) {
                continue;
            }
            if (tried) {
                failovers.increment();
            }
            tried = true;
            byte[] answer = attempt(upstream, body, true, failures);
            if (answer != null) {
                return answer;
            }
        }
        if (!tried) {
            for (Upstream upstream : pool.upstreams()) {
                byte[] answer = attempt(upstream, body, false, failures);
                if (answer != null) {
                    return answer;
                }
            }
        }
        throw new AllUpstreamsFailed("all " + pool.upstreams().size() + " upstream(s) failed: "
                + failures.stream().map(UpstreamFailure.Kind::label).toList());
    }

    /** The answer, or {@code null} after a failure that is the upstream's fault (recorded in {@code failures}). */
    private byte[] attempt(Upstream upstream, byte[] body, boolean permitted, List<UpstreamFailure.Kind> failures) {
        long start = System.nanoTime();
        try {
            byte[] answer = http.post(upstream.uri(), body);
            if (permitted) {
                upstream.breaker().onSuccess(System.nanoTime() - start, TimeUnit.NANOSECONDS);
            }
            return answer;
        } catch (UpstreamFailure e) {
            if (permitted && e.kind().upstreamFault()) {
                upstream.breaker().onError(System.nanoTime() - start, TimeUnit.NANOSECONDS, e);
            }
            failures.add(e.kind());
            log.debug("Upstream {} failed: {}", upstream.uri(), e.getMessage());
            return null;
        }
    }
}
