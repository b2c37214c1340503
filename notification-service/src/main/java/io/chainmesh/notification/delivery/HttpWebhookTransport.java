package io.chainmesh.notification.delivery;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import org.apache.hc.client5.http.classic.methods.HttpPost;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManager;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpEntity;
import org.apache.hc.core5.http.io.entity.StringEntity;
import org.apache.hc.core5.util.Timeout;
import org.springframework.beans.factory.DisposableBean;

import io.chainmesh.notification.destination.GuardedDnsResolver;
import io.chainmesh.notification.destination.TargetAddressPolicy;

/**
 * Webhook transport over HTTP/1.1 with Apache HttpClient: connections only to addresses {@link GuardedDnsResolver}
 * allowed (the SSRF guard sees the address actually connected to), no redirects followed (a 3xx is a failed attempt),
 * no proxy from system properties, no automatic retries (the schedule owns retries), no cookies. A hard deadline
 * aborts an exchange that trickles past the timeout.
 */
final class HttpWebhookTransport implements WebhookTransport, DisposableBean {

    private final CloseableHttpClient client;
    private final int responseBodyLimit;
    private final ScheduledExecutorService deadlines = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().daemon().name("webhook-deadlines").factory());

    HttpWebhookTransport(TargetAddressPolicy policy, Duration timeout, int maxConnections, int responseBodyLimit) {
        Timeout t = Timeout.of(timeout);
        PoolingHttpClientConnectionManager connections = PoolingHttpClientConnectionManagerBuilder.create()
                .setDnsResolver(new GuardedDnsResolver(policy))
                .setDefaultConnectionConfig(ConnectionConfig.custom().setConnectTimeout(t).setSocketTimeout(t)
                        .setTimeToLive(Timeout.ofMinutes(5)).build())
                .setMaxConnTotal(maxConnections)
                .setMaxConnPerRoute(maxConnections)
                .build();
        this.client = HttpClients.custom()
                .setConnectionManager(connections)
                .disableRedirectHandling()
                .disableAutomaticRetries()
                .disableCookieManagement()
                .disableAuthCaching()
                .setUserAgent("Chainmesh-Webhooks/1.0")
                .setDefaultRequestConfig(RequestConfig.custom().setResponseTimeout(t)
                        .setConnectionRequestTimeout(t).build())
                .build();
        this.responseBodyLimit = responseBodyLimit;
    }

    @Override
    public Outcome send(String url, Map<String, String> headers, String body, Duration timeout) {
        HttpPost post = new HttpPost(url);
        headers.forEach(post::setHeader);
        post.setEntity(new StringEntity(body, ContentType.APPLICATION_JSON));
        long started = System.nanoTime();
        ScheduledFuture<?> deadline = deadlines.schedule(post::cancel, timeout.toMillis(), TimeUnit.MILLISECONDS);
        try {
            return client.execute(post, response -> {
                Header retryAfter = response.getFirstHeader("Retry-After");
                String text = readStart(response.getEntity());
                return new Outcome(response.getCode(), text, retryAfter == null ? null : retryAfter.getValue(), null,
                        millisSince(started));
            });
        } catch (GuardedDnsResolver.RefusedTargetIOException e) {
            return failure(e.getMessage(), started);
        } catch (SocketTimeoutException e) {
            return failure("timeout after " + timeout.toSeconds() + " s", started);
        } catch (ConnectException e) {
            return failure("connection refused: " + e.getMessage(), started);
        } catch (InterruptedIOException e) {
            return failure(post.isCancelled() ? "timeout after " + timeout.toSeconds() + " s" : "interrupted", started);
        } catch (IOException | RuntimeException e) {
            return failure(post.isCancelled() ? "timeout after " + timeout.toSeconds() + " s" : e.toString(), started);
        } finally {
            deadline.cancel(false);
        }
    }

    private String readStart(HttpEntity entity) throws IOException {
        if (entity == null || responseBodyLimit == 0) {
            return null;
        }
        try (InputStream in = entity.getContent()) {
            byte[] start = in.readNBytes(responseBodyLimit * 4); // UTF-8: at most 4 bytes per character
            String text = new String(start, StandardCharsets.UTF_8);
            // PostgreSQL text cannot hold NUL; one in a receiver's body would make the attempt impossible to log
            text = text.replace('\u0000', '\uFFFD');
            return text.length() > responseBodyLimit ? text.substring(0, responseBodyLimit) : text;
        }
    }

    private static Outcome failure(String error, long started) {
        return new Outcome(null, null, null, error, millisSince(started));
    }

    private static long millisSince(long startedNanos) {
        return (System.nanoTime() - startedNanos) / 1_000_000;
    }

    @Override
    public void destroy() throws IOException {
        deadlines.shutdownNow();
        client.close();
    }
}
