package io.chainmesh.blockchain.upstream;

import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketException;
import java.net.URI;
import java.time.Duration;

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
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;

import io.chainmesh.blockchain.BlockchainProperties;

/**
 * The one HTTP client of calls to nodes' JSON-RPC endpoints: tenant traffic through the proxy's upstream pools and the
 * platform's own probes (start-up checks, health). Apache HttpClient 5's classic (blocking) client with a keep-alive
 * connection pool, called on the caller's own virtual thread, so an exchange never hops to a selector thread and back.
 * Every failure leaves here as an {@link UpstreamFailure} of one {@link UpstreamFailure.Kind}.
 */
@Component
public class UpstreamClient implements DisposableBean {

    /** What clients send; no charset parameter added (the body goes out byte for byte). */
    private static final ContentType JSON = ContentType.create("application/json");

    private final CloseableHttpClient http;
    private final Duration defaultTimeout;

    UpstreamClient(BlockchainProperties properties) {
        BlockchainProperties.Rpc rpc = properties.rpc();
        this.defaultTimeout = rpc.upstreamTimeout();
        this.http = HttpClients.custom()
                .setConnectionManager(PoolingHttpClientConnectionManagerBuilder.create()
                        .setMaxConnTotal(1024)
                        .setMaxConnPerRoute(256)
                        .setDefaultConnectionConfig(ConnectionConfig.custom()
                                .setConnectTimeout(Timeout.of(rpc.connectTimeout()))
                                .setSocketTimeout(Timeout.of(defaultTimeout))
                                // A node restarted behind a kept-alive connection: check before reuse after a pause.
                                .setValidateAfterInactivity(TimeValue.ofSeconds(2))
                                .build())
                        .build())
                .setDefaultRequestConfig(requestConfig(defaultTimeout))
                .evictIdleConnections(TimeValue.ofSeconds(30))
                // Failover to another upstream is the pools' decision; the one retry here is for a kept-alive
                // connection the node closed while it sat in the pool (a restarted node on the same port): the
                // request never reached it, so it goes once more on a fresh connection.
                .setRetryStrategy(new StaleConnectionRetry())
                .disableRedirectHandling()
                .disableCookieManagement()
                .disableAuthCaching()
                .build();
    }

    private static RequestConfig requestConfig(Duration timeout) {
        return RequestConfig.custom().setResponseTimeout(Timeout.of(timeout))
                .setConnectionRequestTimeout(Timeout.of(timeout)).build();
    }

    /** POSTs a JSON body within {@code rpc.upstream-timeout}; returns the body of the 200 answer as it came. */
    public byte[] post(URI uri, byte[] body) throws UpstreamFailure {
        return post(uri, body, null);
    }

    /** The same with another timeout ({@code null}: the default). */
    public byte[] post(URI uri, byte[] body, Duration timeout) throws UpstreamFailure {
        HttpPost post = new HttpPost(uri);
        post.setEntity(new ByteArrayEntity(body, JSON));
        if (timeout != null && !timeout.equals(defaultTimeout)) {
            post.setConfig(requestConfig(timeout));
        }
        Answer answer;
        try {
            answer = http.execute(post, response -> new Answer(response.getCode(),
                    response.getEntity() == null ? new byte[0] : EntityUtils.toByteArray(response.getEntity())));
        } catch (IOException e) {
            UpstreamFailure.Kind kind = UpstreamFailure.Kind.ofTransport(e);
            throw new UpstreamFailure(kind, kind.label());
        }
        if (answer.status() != 200) {
            throw new UpstreamFailure(UpstreamFailure.Kind.ofHttpStatus(answer.status()), "HTTP " + answer.status());
        }
        return answer.body();
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
