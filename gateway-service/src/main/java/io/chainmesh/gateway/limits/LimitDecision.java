package io.chainmesh.gateway.limits;

/**
 * The outcome of one admission check (see {@code scripts/tenant-limits.lua}).
 *
 * @param outcome          admitted, rate limited or over quota
 * @param rateLimited      whether a token bucket applies at all (the plan has a rate)
 * @param remaining        whole requests left in the bucket
 * @param retryAfterMillis when rate limited: until one request is allowed again
 * @param resetMillis      until the bucket is full again
 * @param computeUnitsUsed compute units used this month, including this request when admitted
 */
public record LimitDecision(Outcome outcome, boolean rateLimited, long remaining, long retryAfterMillis,
        long resetMillis, long computeUnitsUsed) {

    public enum Outcome {
        ADMITTED, RATE_LIMITED, QUOTA_EXCEEDED
    }
}
