package io.chainmesh.gateway;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

import io.chainmesh.common.http.InternalClientSettings;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;

/**
 * Everything the gateway can be told, under {@code chainmesh.gateway}.
 *
 * @param services     base URLs of the upstream services the routes point at
 * @param auth         API key and JWT authentication
 * @param limits       per-tenant rate limit and monthly compute-unit quota
 * @param upstream     timeouts and circuit breaker around every upstream call
 * @param internal     the gateway's own calls to services (not the proxied ones)
 * @param usage        the usage-event pipeline to {@code chainmesh.usage}
 * @param cors         browser cross-origin access
 * @param rpc          pricing of JSON-RPC calls (route {@code rpc})
 * @param maxBodySize  largest request body accepted (by {@code Content-Length}); larger gets 413
 * @param redisTimeout longest the request path waits for one Redis command before treating Redis as down
 */
@Validated
@ConfigurationProperties("chainmesh.gateway")
public record GatewayProperties(@Valid @NotNull Services services, @Valid @DefaultValue Auth auth,
        @Valid @DefaultValue Limits limits, @Valid @DefaultValue Upstream upstream, @Valid @NotNull Internal internal,
        @Valid @DefaultValue Usage usage,
        @Valid @DefaultValue Cors cors, @Valid @DefaultValue Rpc rpc, @DefaultValue("1MB") DataSize maxBodySize,
        @DefaultValue("250ms") Duration redisTimeout) {

    /**
     * @param tenant       tenant-service (signup, auth, keys, plans, admin); also verifies keys and serves the JWKS
     * @param blockchain   blockchain-service (networks, nodes, JSON-RPC)
     * @param contract     contract-service (wallets, contracts, instances, transactions, subscriptions)
     * @param analytics    analytics-service
     * @param notification notification-service (webhooks, deliveries)
     */
    public record Services(@NotNull URI tenant, @NotNull URI blockchain, @NotNull URI contract, @NotNull URI analytics,
            @NotNull URI notification) {
    }

    /**
     * @param jwtIssuer              required {@code iss} of portal JWTs
     * @param jwtAudience            required {@code aud} of portal JWTs
     * @param jwksPath               path of tenant-service's JSON Web Key Set
     * @param jwksCacheTtl           how long a fetched key set is trusted before it is fetched again
     * @param jwksMinRefreshInterval least time between two fetches triggered by an unknown {@code kid}, so forged
     *                               tokens cannot make the gateway hammer tenant-service
     * @param jwtClockSkew           tolerance on {@code exp}/{@code nbf}
     * @param keyCacheTtl            how long an API key verification may be used after tenant-service gave it: the
     *                               bound on how long a revoked key keeps working (Redis keeps it for this minus
     *                               {@code localKeyCacheTtl})
     * @param localKeyCacheTtl       how long a verification read from Redis is kept in each gateway's memory;
     *                               0 turns the memory tier off
     * @param localKeyCacheMaxEntries most verifications kept in memory
     * @param tenantContextCacheTtl  how long a tenant's status and limits are cached in Redis for JWT callers
     */
    public record Auth(@DefaultValue("chainmesh") @NotBlank String jwtIssuer,
            @DefaultValue("chainmesh-api") @NotBlank String jwtAudience,
            @DefaultValue("/.well-known/jwks.json") @NotBlank String jwksPath,
            @DefaultValue("10m") Duration jwksCacheTtl, @DefaultValue("30s") Duration jwksMinRefreshInterval,
            @DefaultValue("30s") Duration jwtClockSkew, @DefaultValue("5s") Duration keyCacheTtl,
            @DefaultValue("1s") Duration localKeyCacheTtl,
            @DefaultValue("10000") @Min(1) int localKeyCacheMaxEntries,
            @DefaultValue("5s") Duration tenantContextCacheTtl) {
    }

    /**
     * @param enabled                  enforce rate limits and quotas (metering of compute units happens either way)
     * @param defaultComputeUnits      compute units one request costs unless its route says otherwise
     * @param computeUnitsPerRoute     compute units per request by route id ({@code tenant}, {@code blockchain}, ...)
     */
    public record Limits(@DefaultValue("true") boolean enabled, @DefaultValue("1") @Min(0) int defaultComputeUnits,
            @DefaultValue Map<String, @Min(0) Integer> computeUnitsPerRoute) {

        public int computeUnitsFor(String routeId) {
            Integer perRoute = routeId == null ? null : computeUnitsPerRoute.get(routeId);
            return perRoute != null ? perRoute : defaultComputeUnits;
        }
    }

    /**
     * @param connectTimeout  TCP connect timeout to an upstream
     * @param responseTimeout longest wait for an upstream's response headers; then 504 upstream_timeout
     * @param circuitBreaker  per-route breaker that turns a failing upstream into fast 503s
     */
    public record Upstream(@DefaultValue("2s") Duration connectTimeout, @DefaultValue("30s") Duration responseTimeout,
            @Valid @DefaultValue CircuitBreaker circuitBreaker) {
    }

    /**
     * The gateway's own calls, each through one {@code ReactiveInternalClient}; their URLs default to the routes'
     * ({@code services.*}) in application.yml.
     *
     * @param tenant     tenant-service: API key verification, tenant context for JWT callers, the JWKS
     * @param blockchain blockchain-service: whether it would admit a JSON-RPC WebSocket
     */
    public record Internal(@Valid @NotNull InternalClientSettings tenant,
            @Valid @NotNull InternalClientSettings blockchain) {
    }

    /**
     * @param failureRateThreshold percentage of failed calls in the window that opens the breaker
     * @param slidingWindowSize    number of recent calls the failure rate is computed over
     * @param minimumCalls         calls needed in the window before the failure rate counts
     * @param waitInOpenState      how long the breaker stays open before letting trial calls through
     */
    public record CircuitBreaker(@DefaultValue("50") float failureRateThreshold,
            @DefaultValue("20") int slidingWindowSize, @DefaultValue("10") int minimumCalls,
            @DefaultValue("10s") Duration waitInOpenState) {
    }

    /**
     * @param bufferCapacity events held in memory waiting to be sent; when full, new events are dropped and counted
     * @param batchSize      most events sent to Redis in one pipelined round trip
     * @param maxWait        longest the sender waits for a batch to fill before sending what it has
     */
    public record Usage(@DefaultValue("10000") @Min(1) int bufferCapacity, @DefaultValue("500") @Min(1) int batchSize,
            @DefaultValue("100ms") Duration maxWait) {
    }

    /**
     * The {@code Config} of the {@code RpcMetering} filter on route {@code rpc}, validated at start with the rest of
     * these properties (no negative price).
     *
     * @param computeUnits        compute units per JSON-RPC method (like Alchemy's table); a batch costs the sum.
     *                            Only HTTP JSON-RPC is priced here; WebSocket frames bypass the gateway filters and
     *                            are priced by blockchain-service (route {@code rpc-ws}).
     * @param defaultComputeUnits compute units of a method missing from the table (and of an unreadable body)
     */
    public record Rpc(@DefaultValue Map<String, @Min(0) Integer> computeUnits,
            @DefaultValue("20") @Min(0) int defaultComputeUnits) {

        public int computeUnitsOf(String method) {
            Integer units = method == null ? null : computeUnits.get(method);
            return units != null ? units : defaultComputeUnits;
        }
    }

    /**
     * @param allowedOrigins origins (patterns allowed, e.g. {@code https://*.chainmesh.dev}) browsers may call from
     * @param allowedMethods methods allowed cross-origin
     * @param maxAge         how long browsers may cache a preflight answer
     */
    public record Cors(@DefaultValue List<String> allowedOrigins,
            @DefaultValue({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"}) List<String> allowedMethods,
            @DefaultValue("1h") Duration maxAge) {
    }
}
