package io.chainmesh.blockchain.health;

import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import io.chainmesh.blockchain.BlockchainProperties;
import io.chainmesh.blockchain.node.Node;
import io.chainmesh.blockchain.node.NodeEvents;
import io.chainmesh.blockchain.node.NodeRepository;
import io.chainmesh.blockchain.node.NodeStatus;
import io.chainmesh.blockchain.rpc.ChainHeads;
import io.chainmesh.blockchain.upstream.JsonRpcProbe;
import io.chainmesh.blockchain.upstream.UpstreamFailure;
import tools.jackson.databind.JsonNode;

/**
 * Probes every RUNNING node's upstreams every {@code health-interval} with one batch ({@code eth_getBlockByNumber
 * latest}, {@code eth_syncing}, {@code net_peerCount}) and records head block, sync state, peers and latency:
 * {@code healthy}, {@code degraded} (an upstream failed or was slower than {@code degraded-latency}) or
 * {@code unreachable}. After {@code fail-after-checks} unreachable probes in a row the node becomes FAILED.
 *
 * <p>It also watches for reorgs on behalf of the cache: the head going back, or a different hash at the height
 * probed last time, bumps the node's cache epoch ({@link ChainHeads}).
 */
@Component
class NodeHealthChecker implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(NodeHealthChecker.class);
    private static final String PROBE = "[{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"eth_getBlockByNumber\","
            + "\"params\":[\"latest\",false]},{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"eth_syncing\",\"params\":[]},"
            + "{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"net_peerCount\",\"params\":[]}]";

    /** The head block a probe saw, to spot it replaced at the next probe. */
    private record Seen(long height, String hash) {
    }

    private final NodeRepository nodes;
    private final NodeEvents events;
    private final JsonRpcProbe probe;
    private final ChainHeads heads;
    private final TransactionTemplate transactions;
    private final BlockchainProperties.Nodes config;
    /** Per running node; one that stopped running is no longer probed and its entry expires. */
    private final Cache<UUID, Seen> lastSeen;
    private volatile boolean running;
    private Thread thread;

    NodeHealthChecker(NodeRepository nodes, NodeEvents events, JsonRpcProbe probe, ChainHeads heads,
            TransactionTemplate transactions, BlockchainProperties properties) {
        this.nodes = nodes;
        this.events = events;
        this.probe = probe;
        this.heads = heads;
        this.transactions = transactions;
        this.config = properties.nodes();
        this.lastSeen = Caffeine.newBuilder().maximumSize(100_000)
                .expireAfterWrite(config.healthInterval().multipliedBy(20)).build();
    }

    void checkAll() {
        for (Node node : nodes.findRunningForHealthChecks()) {
            if (!node.upstreams().isEmpty()) {
                try {
                    check(node);
                } catch (RuntimeException e) {
                    log.warn("Health check of node {} failed", node.id(), e);
                }
            }
        }
    }

    private void check(Node node) {
        heads.refreshEpoch(node.tenantId(), node.id());
        Duration timeout = config.degradedLatency().multipliedBy(4);
        int answered = 0;
        boolean slow = false;
        Long head = null;
        Boolean syncing = null;
        Integer peers = null;
        String headHash = null;
        double maxLatency = 0;
        for (String url : node.upstreams()) {
            long start = System.nanoTime();
            JsonNode batch;
            try {
                batch = probe.call(url, PROBE, timeout);
            } catch (UpstreamFailure e) {
                continue;
            }
            double latency = (System.nanoTime() - start) / 1_000_000.0;
            maxLatency = Math.max(maxLatency, latency);
            slow |= latency > config.degradedLatency().toMillis();
            answered++;
            for (JsonNode answer : batch) {
                JsonNode result = answer.path("result");
                switch (answer.path("id").asInt()) {
                    case 1 -> {
                        long number = hex(result.path("number"));
                        if (number >= 0 && (head == null || number > head)) {
                            head = number;
                            headHash = result.path("hash").asString(null);
                        }
                    }
                    case 2 -> syncing = syncing == null ? !result.isBoolean() || result.asBoolean()
                            : syncing || !result.isBoolean() || result.asBoolean();
                    case 3 -> {
                        long count = hex(result);
                        if (count >= 0) {
                            peers = peers == null ? (int) count : Math.max(peers, (int) count);
                        }
                    }
                    default -> {
                    }
                }
            }
        }
        int failedChecks = answered == 0 ? node.health().failedChecks() + 1 : 0;
        String status = answered == 0 ? "unreachable"
                : answered < node.upstreams().size() || slow ? "degraded" : "healthy";
        if (head != null) {
            watchForReorg(node, head, headHash);
            heads.observe(node.tenantId(), node.id(), head);
        }
        nodes.recordHealth(node.tenantId(), node.id(), new Node.NodeHealth(status,
                head != null ? head : node.health().headBlock(), syncing, peers,
                answered == 0 ? null : Math.round(maxLatency * 100) / 100.0, failedChecks, Instant.now()));
        if (failedChecks >= config.failAfterChecks()) {
            String reason = "no upstream answered " + failedChecks + " health checks in a row";
            transactions.executeWithoutResult(tx -> nodes.failRunning(node.tenantId(), node.id(), reason)
                    .ifPresent(failed -> {
                        events.publish(failed, NodeStatus.FAILED, reason);
                        log.warn("Node {} FAILED: {}", failed.id(), reason);
                    }));
        }
    }

    private void watchForReorg(Node node, long head, String hash) {
        Seen previous = lastSeen.getIfPresent(node.id());
        if (previous != null && previous.hash() != null && hash != null) {
            if (head == previous.height() && !hash.equals(previous.hash())) {
                heads.reorged(node.tenantId(), node.id(), "block " + head + " replaced");
            } else if (head > previous.height()) {
                // Is the block we saw last time still there?
                try {
                    JsonNode block = probe.result(node.upstreams().getFirst(), "eth_getBlockByNumber",
                            "[\"0x" + Long.toHexString(previous.height()) + "\",false]",
                            config.degradedLatency().multipliedBy(4));
                    String now = block.path("hash").asString(null);
                    if (now != null && !now.equals(previous.hash())) {
                        heads.reorged(node.tenantId(), node.id(), "block " + previous.height() + " replaced");
                    }
                } catch (UpstreamFailure e) {
                    // Unknown: the next probe looks again.
                }
            }
        }
        lastSeen.put(node.id(), new Seen(head, hash != null ? hash : previous == null ? null : previous.hash()));
    }

    private static long hex(JsonNode node) {
        String text = node == null ? "" : node.asString("");
        if (!text.startsWith("0x") || text.length() < 3) {
            return -1;
        }
        try {
            return Long.parseLong(text.substring(2), 16);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private void loop() {
        while (running) {
            try {
                checkAll();
                Thread.sleep(config.healthInterval().toMillis());
            } catch (InterruptedException e) {
                if (!running) {
                    return;
                }
            } catch (RuntimeException e) {
                log.warn("Health pass failed", e);
            }
        }
    }

    @Override
    public void start() {
        running = true;
        thread = Thread.ofPlatform().daemon().name("node-health").start(this::loop);
    }

    @Override
    public void stop() {
        running = false;
        if (thread != null) {
            thread.interrupt();
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }
}
