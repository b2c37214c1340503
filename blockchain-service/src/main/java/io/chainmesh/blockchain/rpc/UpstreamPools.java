package io.chainmesh.blockchain.rpc;

import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketException;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import org.apache.hc.client5.http.HttpRequestRetryStrategy;
import org.apache.hc.client5.http.classic.methods.HttpPost;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.HttpRequest;
import org.apache.hc.core5.http.HttpResponse;
import org.apache.hc.core5.http.NoHttpResponseException;
import org.apache.hc.core5.http.io.entity.ByteArrayEntity;
import org.apache.hc.core5.http.io.entity.EntityUtils;
import org.apache.hc.core5.http.protocol.HttpContext;
import org.apache.hc.core5.util.TimeValue;
import org.apache.hc.core5.util.Timeout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
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
 *
 * <p>Transport: Apache HttpClient 5's classic (blocking) client with a keep-alive connection pool, called on the
 * request's own virtual thread. The JDK's HttpClient, used before, hands every exchange to its selector thread and
 * back (measured: ~17% of this service's CPU per proxied call, and the hand-offs show up as latency).
 */
@Component
class UpstreamPools implements DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(UpstreamPools.class);
    /** What clients send; no charset parameter added (the body goes out byte for byte). */
    private static final ContentType JSON = ContentType.create("application/json");

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

    private final CloseableHttpClient http;
    private final Duration timeout;
    private final CircuitBreakerConfig breakerConfig;
    private final Map<UUID, Pool> pools = new ConcurrentHashMap<>();
    private final Counter failovers;

    UpstreamPools(BlockchainProperties properties, MeterRegistry registry) {
        BlockchainProperties.Rpc rpc = properties.rpc();
        this.timeout = rpc.upstreamTimeout();
        this.http = HttpClients.custom()
                .setConnectionManager(PoolingHttpClientConnectionManagerBuilder.create()
                        .setMaxConnTotal(1024)
                        .setMaxConnPerRoute(256)
                        .setDefaultConnectionConfig(ConnectionConfig.custom()
                                .setConnectTimeout(Timeout.of(rpc.connectTimeout()))
                                .setSocketTimeout(Timeout.of(timeout))
                                // A node restarted behind a kept-alive connection: check before reuse after a pause.
                                .setValidateAfterInactivity(TimeValue.ofSeconds(2))
                                .build())
                        .build())
                .setDefaultRequestConfig(RequestConfig.custom()
                        .setResponseTimeout(Timeout.of(timeout))
                        .setConnectionRequestTimeout(Timeout.of(timeout))
                        .build())
                .evictIdleConnections(TimeValue.ofSeconds(30))
                // Failover to the next upstream is ours to decide (see the class comment); the one retry here is for
                // a kept-alive connection the node closed while it sat in the pool (a restarted node on the same
                // port): the request never reached it, so it goes once more on a fresh connection.
                .setRetryStrategy(new StaleConnectionRetry())
                .disableRedirectHandling()
                .disableCookieManagement()
                .disableAuthCaching()
                .build();
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
            HttpPost post = new HttpPost(upstream.uri());
            post.setEntity(new ByteArrayEntity(body, JSON));
            Answer response = http.execute(post, answer -> new Answer(answer.getCode(),
                    answer.getEntity() == null ? new byte[0] : EntityUtils.toByteArray(answer.getEntity())));
            long elapsed = System.nanoTime() - start;
            if (response.status() == 200) {
                if (permitted) {
                    upstream.breaker().onSuccess(elapsed, TimeUnit.NANOSECONDS);
                }
                return response.body();
            }
            if (permitted) {
                upstream.breaker().onError(elapsed, TimeUnit.NANOSECONDS,
                        new IOException("HTTP " + response.status()));
            }
            log.debug("Upstream {} answered HTTP {}", upstream.uri(), response.status());
            return null;
        } catch (IOException e) {
            if (permitted) {
                upstream.breaker().onError(System.nanoTime() - start, TimeUnit.NANOSECONDS, e);
            }
            log.debug("Upstream {} failed: {}", upstream.uri(), e.toString());
            return null;
        }
    }

    private record Answer(int status, byte[] body) {
    }

    /** Retries once, at once, when a pooled connection turned out to be closed before the request got an answer. */
    private static final class StaleConnectionRetry implements HttpRequestRetryStrategy {

        @Override
        public boolean retryRequest(HttpRequest request, IOException failure, int execCount, HttpContext context) {
            return execCount <= 1 && (failure instanceof NoHttpResponseException
                    || (failure instanceof SocketException && !(failure instanceof ConnectException)));
        }

        @Override
        public boolean retryRequest(HttpResponse response, int execCount, HttpContext context) {
            return false;
        }

        @Override
        public TimeValue getRetryInterval(HttpResponse response, int execCount, HttpContext context) {
            return TimeValue.ZERO_MILLISECONDS;
        }
    }

    @Override
    public void destroy() throws IOException {
        http.close();
    }
}
