package io.chainmesh.blockchain.provisioning;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

import io.chainmesh.blockchain.BlockchainProperties;
import io.chainmesh.blockchain.node.Node;
import io.chainmesh.blockchain.node.NodeEvents;
import io.chainmesh.blockchain.node.NodeRepository;
import io.chainmesh.blockchain.node.NodeStatus;
import io.chainmesh.blockchain.rpc.ChainHeads;
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

    private final NodeRepository nodes;
    private final NodeEvents events;
    private final RpcProbe probe;
    private final ChainHeads heads;
    private final TransactionTemplate transactions;
    private final BlockchainProperties.Nodes config;
    /** Last (height, hash) probed per node, to spot a replaced block. */
    private final Map<UUID, long[]> lastSeenHeight = new ConcurrentHashMap<>();
    private final Map<UUID, String> lastSeenHash = new ConcurrentHashMap<>();
    private volatile boolean running;
    private Thread thread;

    NodeHealthChecker(NodeRepository nodes, NodeEvents events, RpcProbe probe, ChainHeads heads,
            TransactionTemplate transactions, BlockchainProperties properties) {
        this.nodes = nodes;
        this.events = events;
        this.probe = probe;
        this.heads = heads;
        this.transactions = transactions;
        this.config = properties.nodes();
    }

    void checkAll() {
        for (Node node : nodes.findLiveForReconciler()) {
            if (node.status() == NodeStatus.RUNNING && !node.upstreams().isEmpty()) {
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
            try {
                JsonNode batch = probe.call(url, PROBE, timeout);
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
            } catch (Exception e) {
                if (e instanceof InterruptedException) {
                    Thread.currentThread().interrupt();
                    return;
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
            transactions.executeWithoutResult(tx -> nodes.tryLockForReconciler(node.id())
                    .filter(n -> n.status() == NodeStatus.RUNNING)
                    .ifPresent(n -> {
                        String reason = "no upstream answered " + failedChecks + " health checks in a row";
                        nodes.markFailed(n.tenantId(), n.id(), reason);
                        events.publish(n, NodeStatus.FAILED, reason);
                        log.warn("Node {} FAILED: {}", n.id(), reason);
                    }));
        }
    }

    private void watchForReorg(Node node, long head, String hash) {
        long[] previous = lastSeenHeight.get(node.id());
        String previousHash = lastSeenHash.get(node.id());
        if (previous != null && previousHash != null && hash != null) {
            if (head == previous[0] && !hash.equals(previousHash)) {
                heads.reorged(node.tenantId(), node.id(), "block " + head + " replaced");
            } else if (head > previous[0]) {
                // Is the block we saw last time still there?
                try {
                    JsonNode answer = probe.call(node.upstreams().getFirst(),
                            "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"eth_getBlockByNumber\",\"params\":[\"0x"
                                    + Long.toHexString(previous[0]) + "\",false]}",
                            config.degradedLatency().multipliedBy(4));
                    String now = answer.path("result").path("hash").asString(null);
                    if (now != null && !now.equals(previousHash)) {
                        heads.reorged(node.tenantId(), node.id(), "block " + previous[0] + " replaced");
                    }
                } catch (Exception e) {
                    // Unknown: the next probe looks again.
                }
            }
        }
        lastSeenHeight.put(node.id(), new long[] {head});
        if (hash != null) {
            lastSeenHash.put(node.id(), hash);
        }
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
