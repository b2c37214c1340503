package io.chainmesh.blockchain.rpc;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import io.chainmesh.blockchain.BlockchainProperties;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * A node's upstreams with one circuit breaker each, and the failover over them: an upstream is tried in its listed
 * order unless its breaker is open; a transport error, a timeout or a non-200 answer counts as a failure and the next
 * upstream is tried. When every breaker is open, each upstream is still tried once (a guess beats a certain error).
 * So the caller sees an error only when every upstream failed this very request. JSON-RPC errors inside a 200 are
 * answers, not failures.
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

    private final HttpClient http;
    private final Duration timeout;
    private final CircuitBreakerConfig breakerConfig;
    private final Map<UUID, Pool> pools = new ConcurrentHashMap<>();
    private final Counter failovers;

    UpstreamPools(BlockchainProperties properties, MeterRegistry registry) {
        BlockchainProperties.Rpc rpc = properties.rpc();
        this.timeout = rpc.upstreamTimeout();
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(rpc.connectTimeout()).build();
        BlockchainProperties.CircuitBreaker cb = rpc.circuitBreaker();
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
        Pool pool = pools.get(nodeId);
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

    void forget(UUID nodeId) {
        pools.remove(nodeId);
    }

    /** Sends the body to the first upstream that answers; returns its response body verbatim. */
    byte[] send(UUID nodeId, List<String> urls, byte[] body) throws AllUpstreamsFailed {
        Pool pool = poolFor(nodeId, urls);
        boolean tried = false;
        for (Upstream upstream : pool.upstreams()) {
            if (!upstream.breaker().tryAcquirePermission()) {
                continue;
            }
            if (tried) {
                failovers.increment();
            }
            tried = true;
            byte[] answer = attempt(upstream, body, true);
            if (answer != null) {
                return answer;
            }
        }
        if (!tried) {
            for (Upstream upstream : pool.upstreams()) {
                byte[] answer = attempt(upstream, body, false);
                if (answer != null) {
                    return answer;
                }
            }
        }
        throw new AllUpstreamsFailed("all " + pool.upstreams().size() + " upstream(s) failed");
    }

    private byte[] attempt(Upstream upstream, byte[] body, boolean permitted) {
        long start = System.nanoTime();
        try {
            HttpRequest request = HttpRequest.newBuilder(upstream.uri()).timeout(timeout)
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
            HttpResponse<byte[]> response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
            long elapsed = System.nanoTime() - start;
            if (response.statusCode() == 200) {
                if (permitted) {
                    upstream.breaker().onSuccess(elapsed, TimeUnit.NANOSECONDS);
                }
                return response.body();
            }
            if (permitted) {
                upstream.breaker().onError(elapsed, TimeUnit.NANOSECONDS,
                        new IOException("HTTP " + response.statusCode()));
            }
            log.debug("Upstream {} answered HTTP {}", upstream.uri(), response.statusCode());
            return null;
        } catch (IOException e) {
            if (permitted) {
                upstream.breaker().onError(System.nanoTime() - start, TimeUnit.NANOSECONDS, e);
            }
            log.debug("Upstream {} failed: {}", upstream.uri(), e.toString());
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            if (permitted) {
                upstream.breaker().releasePermission();
            }
            return null;
        }
    }
}
