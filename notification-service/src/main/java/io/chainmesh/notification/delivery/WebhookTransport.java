package io.chainmesh.notification.delivery;

import java.time.Duration;
import java.util.Map;

/**
 * Sends one signed webhook request and reports what came back. One job: no retries, no redirects, no state; the
 * delivery worker decides what an outcome means.
 */
interface WebhookTransport {

    /**
     * @param url     the endpoint URL
     * @param headers request headers (signature headers included)
     * @param body    the JSON body
     * @param timeout the whole exchange's limit
     */
    Outcome send(String url, Map<String, String> headers, String body, Duration timeout);

    /**
     * @param statusCode   HTTP status, or null when no response arrived
     * @param responseBody the start of the response body, already truncated
     * @param retryAfter   the raw {@code Retry-After} header, if any
     * @param error        why no response arrived (refused target, timeout, connection error); null otherwise
     * @param latencyMs    time from sending to the end of the response or the error
     */
    record Outcome(Integer statusCode, String responseBody, String retryAfter, String error, long latencyMs) {

        boolean isSuccess() {
            return statusCode != null && statusCode >= 200 && statusCode < 300;
        }
    }
}
