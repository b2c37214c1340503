package io.chainmesh.analytics.usage;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * Response of {@code GET /v1/analytics/usage}: the tenant's usage in {@code [from, to)}, one bucket per
 * interval (empty buckets included, so a chart needs no gap filling).
 */
public record UsageReport(UUID tenantId, Instant from, Instant to, String interval, List<Bucket> buckets,
        Totals totals) {

    /**
     * @param errors       responses with status 4xx or 5xx; split into {@code clientErrors} and {@code serverErrors}
     * @param avgLatencyMs mean latency of the bucket's requests, 0 when it had none
     */
    public record Bucket(Instant start, long requests, long errors, long clientErrors, long serverErrors,
            long computeUnits, long requestBytes, long responseBytes, double avgLatencyMs, double maxLatencyMs) {
    }

    public record Totals(long requests, long errors, long computeUnits) {
    }
}
