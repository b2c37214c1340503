package io.chainmesh.blockchain;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

import io.chainmesh.common.http.InternalClientSettings;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;

/**
 * Everything blockchain-service can be told, under {@code chainmesh.blockchain}.
 *
 * @param tenantService where plan limits come from (tenant-service's internal tenant context)
 * @param nodes         node lifecycle: drivers, reconciler, health checks
 * @param rpc           the JSON-RPC proxy: method policy, cache, upstream failover, compute units
 */
@Validated
@ConfigurationProperties("chainmesh.blockchain")
public record BlockchainProperties(@Valid @NotNull InternalClientSettings tenantService, @Valid @NotNull Nodes nodes,
        @Valid @DefaultValue Rpc rpc) {

    /**
     * @param local              the {@code local} driver (anvil processes on this host)
     * @param external           the {@code external} driver (existing JSON-RPC endpoints)
     * @param reconcileInterval  how often every node is driven toward its desired state even without a trigger
     * @param healthInterval     how often a running node's upstreams are probed
     * @param degradedLatency    a probe slower than this marks the node degraded
     * @param failAfterChecks    consecutive probes in which no upstream answered before a node is marked FAILED
     * @param claimLease         how long a node claimed by a reconciler stays its own; longer than any one driver step
     *                           takes, so after a crash another instance takes the node over once it ran out
     */
    public record Nodes(@Valid @NotNull Local local, @Valid @DefaultValue External external,
            @DefaultValue("2s") Duration reconcileInterval, @DefaultValue("5s") Duration healthInterval,
            @DefaultValue("500ms") Duration degradedLatency, @DefaultValue("3") @Min(1) int failAfterChecks,
            @DefaultValue("1m") Duration claimLease) {
    }

    /**
     * @param anvilBin       absolute path of the anvil binary (env CHAINMESH_ANVIL_BIN)
     * @param dataDir        one directory per node below it: state, log and {@code anvil.pid}
     *                       (env CHAINMESH_NODE_DATA_DIR; {@code bin/chainmesh down} kills the pid files it finds)
     * @param portRange      ports nodes may listen on, {@code from-to} inclusive (env CHAINMESH_NODE_PORT_RANGE)
     * @param firstChainId   chain ids of local nodes are allocated from here upwards, one per node
     * @param startTimeout   how long a started anvil may take to answer {@code eth_chainId} before the node fails
     * @param stateInterval  how often anvil dumps its state to disk, bounding what a kill -9 of the node loses
     * @param stopOnShutdown stop the node processes when this service stops (tests); by default they keep running
     *                       and are adopted again on the next start
     */
    public record Local(@NotBlank String anvilBin, @NotNull Path dataDir,
            @NotBlank @Pattern(regexp = "\\d+-\\d+") String portRange, @DefaultValue("910001") long firstChainId,
            @DefaultValue("20s") Duration startTimeout, @DefaultValue("2s") Duration stateInterval,
            @DefaultValue("false") boolean stopOnShutdown) {

        public int firstPort() {
            return Integer.parseInt(portRange.substring(0, portRange.indexOf('-')));
        }

        public int lastPort() {
            return Integer.parseInt(portRange.substring(portRange.indexOf('-') + 1));
        }
    }

    /**
     * @param allowPrivateTargets accept upstream URLs on loopback/private addresses (development only: in production
     *                            a tenant must not be able to point the proxy at the platform's own services)
     * @param maxUpstreams        most upstreams one node may list
     */
    public record External(@DefaultValue("false") boolean allowPrivateTargets,
            @DefaultValue("5") @Min(1) int maxUpstreams) {
    }

    /**
     * @param deniedNamespaces    JSON-RPC namespaces (the part before the first {@code _}) refused by default
     * @param planNamespaces      namespaces a plan re-allows, by plan id (e.g. {@code enterprise: [debug]})
     * @param internalDenied      namespaces refused even to internal callers (other platform services)
     * @param upstreamTimeout     longest wait for one upstream's answer before trying the next
     * @param connectTimeout      TCP connect timeout to an upstream
     * @param circuitBreaker      breaker per upstream
     * @param cache               Redis cache of immutable results
     * @param webSocket           JSON-RPC over WebSocket ({@code eth_subscribe}): limits and metering
     */
    public record Rpc(@DefaultValue({"admin", "personal", "debug", "anvil", "hardhat", "evm", "miner", "txpool"})
            Set<String> deniedNamespaces, @DefaultValue Map<String, Set<String>> planNamespaces,
            @DefaultValue({"admin", "personal", "debug"}) Set<String> internalDenied,
            @DefaultValue("10s") Duration upstreamTimeout, @DefaultValue("1s") Duration connectTimeout,
            @Valid @DefaultValue CircuitBreaker circuitBreaker, @Valid @DefaultValue Cache cache,
            @Valid @DefaultValue WebSocket webSocket) {
    }

    /**
     * WebSocket JSON-RPC on {@code /v1/nodes/{id}/rpc}. These sockets bypass the gateway's per-request metering
     * (the gateway only sees the upgrade), so blockchain-service meters them itself.
     *
     * @param maxFrameBytes            largest message a client may send; a bigger one closes the socket (1009)
     * @param maxUpstreamMessageBytes  largest message accepted from the node (a full block with transactions is big)
     * @param maxSocketsPerTenant      concurrent sockets one tenant may hold on this instance
     * @param sendTimeLimit            a client that does not take a message for this long is disconnected
     * @param sendBufferBytes          messages buffered for a slow client before it is disconnected
     * @param usageFlushInterval       a socket's compute units are added up and published at most this often
     * @param defaultComputeUnits      price of a method missing from {@code computeUnits}
     * @param notificationComputeUnits price of one subscription notification delivered
     *                                 ({@code eth_subscription}: a new head, a log, a pending transaction)
     * @param computeUnits             price per JSON-RPC method of each request frame (a batch is the sum)
     */
    public record WebSocket(@DefaultValue("1MB") DataSize maxFrameBytes,
            @DefaultValue("16MB") DataSize maxUpstreamMessageBytes,
            @DefaultValue("10") @Min(1) int maxSocketsPerTenant, @DefaultValue("10s") Duration sendTimeLimit,
            @DefaultValue("4MB") DataSize sendBufferBytes, @DefaultValue("1s") Duration usageFlushInterval,
            @DefaultValue("20") @Min(0) int defaultComputeUnits,
            @DefaultValue("1") @Min(0) int notificationComputeUnits,
            @DefaultValue Map<String, Integer> computeUnits) {

        public int computeUnitsOf(String method) {
            Integer units = method == null ? null : computeUnits.get(method);
            return units == null ? defaultComputeUnits : units;
        }
    }

    /**
     * @param failureRateThreshold percentage of failed calls that opens an upstream's breaker
     * @param slidingWindowSize    calls the failure rate is computed over
     * @param minimumCalls         calls needed before the rate counts
     * @param waitInOpenState      how long an open breaker skips its upstream before a trial call
     */
    public record CircuitBreaker(@DefaultValue("50") float failureRateThreshold,
            @DefaultValue("10") int slidingWindowSize, @DefaultValue("4") int minimumCalls,
            @DefaultValue("5s") Duration waitInOpenState) {
    }

    /**
     * @param enabled           cache immutable results in Redis
     * @param confirmationDepth blocks below the head after which a block (and everything in it) is treated as final
     * @param ttl               how long a cached result is kept
     */
    public record Cache(@DefaultValue("true") boolean enabled, @DefaultValue("12") @Min(0) int confirmationDepth,
            @DefaultValue("1h") Duration ttl) {
    }
}
