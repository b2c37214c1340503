package io.chainmesh.analytics.usage;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.springframework.stereotype.Service;

import io.chainmesh.analytics.AnalyticsProperties;
import io.chainmesh.analytics.ErrorCode;
import io.chainmesh.analytics.usage.UsageAggregateRepository.BucketSums;

/** Answers usage queries from the minute aggregates. */
@Service
class UsageReporter {

    private final UsageAggregateRepository aggregates;
    private final AnalyticsProperties.Query limits;
    private final Clock clock;

    UsageReporter(UsageAggregateRepository aggregates, AnalyticsProperties properties, Clock clock) {
        this.aggregates = aggregates;
        this.limits = properties.query();
        this.clock = clock;
    }

    /**
     * @param from     inclusive; defaults to {@code to} minus the default range
     * @param to       exclusive; defaults to now
     * @param interval {@code minute}, {@code hour} or {@code day}; defaults to {@code hour}
     */
    UsageReport report(UUID tenantId, Instant from, Instant to, String interval) {
        UsageInterval width = UsageInterval.fromWireName(interval == null ? "hour" : interval)
                .orElseThrow(() -> ErrorCode.INVALID_PARAMETER.exception(
                        "Parameter 'interval' must be one of minute, hour, day").with("parameter", "interval"));
        Instant end = to != null ? to : clock.instant();
        Instant start = from != null ? from : end.minus(limits.defaultRange());
        if (!start.isBefore(end)) {
            throw ErrorCode.INVALID_RANGE.exception("Parameter 'from' must be before 'to'")
                    .with("parameter", "from");
        }
        long buckets = width.bucketsBetween(start, end);
        if (buckets > limits.maxBuckets()) {
            throw ErrorCode.RANGE_TOO_LARGE.exception("The range spans " + buckets + " " + width.wireName()
                    + " buckets, more than the " + limits.maxBuckets()
                    + " allowed; shorten 'from'..'to' or choose a wider 'interval'")
                    .with("parameter", "interval")
                    .with("maxBuckets", limits.maxBuckets());
        }

        Map<Instant, BucketSums> sums = aggregates.sumByBucket(tenantId, start, end, width).stream()
                .collect(Collectors.toMap(BucketSums::start, Function.identity()));
        List<UsageReport.Bucket> series = new ArrayList<>((int) buckets);
        long requests = 0;
        long errors = 0;
        long computeUnits = 0;
        for (Instant bucket = width.bucketStart(start); bucket.isBefore(end); bucket = bucket.plus(width.width())) {
            UsageReport.Bucket b = toBucket(bucket, sums.get(bucket));
            series.add(b);
            requests += b.requests();
            errors += b.errors();
            computeUnits += b.computeUnits();
        }
        return new UsageReport(tenantId, start, end, width.wireName(), series,
                new UsageReport.Totals(requests, errors, computeUnits));
    }

    private static UsageReport.Bucket toBucket(Instant start, BucketSums sums) {
        if (sums == null) {
            return new UsageReport.Bucket(start, 0, 0, 0, 0, 0, 0, 0, 0, 0);
        }
        double avgLatency = sums.requests() == 0 ? 0 : sums.latencyMsSum() / sums.requests();
        return new UsageReport.Bucket(start, sums.requests(), sums.clientErrors() + sums.serverErrors(),
                sums.clientErrors(), sums.serverErrors(), sums.computeUnits(), sums.requestBytes(),
                sums.responseBytes(), avgLatency, sums.latencyMsMax());
    }
}
