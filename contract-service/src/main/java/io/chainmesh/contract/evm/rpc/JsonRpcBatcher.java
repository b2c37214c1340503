package io.chainmesh.contract.evm.rpc;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.locks.ReentrantLock;

import org.springframework.stereotype.Component;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;

import io.chainmesh.contract.ContractProperties;
import io.chainmesh.contract.node.BlockchainServiceClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Sends single JSON-RPC calls to a node in JSON-RPC 2.0 batches when many are made at once (a burst of sends each
 * estimates gas and broadcasts). At most {@code max-in-flight} requests per node are out at a time; calls made
 * meanwhile queue and leave together as one batch of up to {@code max-batch-calls} calls, so a burst costs a few
 * HTTP exchanges with blockchain-service (and from there with the node) instead of one each, and no more
 * connections than requests in flight. A call made while the node is idle goes out at once, alone and unchanged.
 *
 * <p>Each caller gets its own call's answer object. Ids are renumbered within a batch and restored in the answers,
 * so callers' ids never collide. A transport failure or problem answer (404, 409, circuit open) fails every call of
 * the batch with that exception, as it would have failed each of them alone. Calls that already are batches pass
 * through untouched.
 */
@Component
class JsonRpcBatcher {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final Duration LANE_IDLE = Duration.ofMinutes(10);
    private static final int MAX_LANES = 10_000;

    private record NodeKey(UUID tenantId, UUID nodeId) {
    }

    private record Call(ObjectNode request, int bytes, CompletableFuture<JsonNode> answer) {
    }

    private static final class Lane {
        final ReentrantLock lock = new ReentrantLock();
        final Queue<Call> waiting = new ArrayDeque<>();
        int inFlight;
    }

    private final BlockchainServiceClient http;
    private final int maxInFlight;
    private final int maxBatchCalls;
    private final int maxBatchBytes;
    private final Cache<NodeKey, Lane> lanes;

    JsonRpcBatcher(BlockchainServiceClient http, ContractProperties properties, Ticker ticker) {
        this.http = http;
        this.maxInFlight = properties.blockchain().maxInFlight();
        this.maxBatchCalls = properties.blockchain().maxBatchCalls();
        this.maxBatchBytes = properties.blockchain().maxBatchBytes();
        // A node's lane is dropped once it has been idle long enough that no call of it can still be out (each is
        // bounded by the read timeout); a busy node's lane is never evicted by idleness.
        this.lanes = Caffeine.newBuilder().ticker(ticker).expireAfterAccess(LANE_IDLE).maximumSize(MAX_LANES).build();
    }

    /**
     * Carries one JSON-RPC 2.0 request (single or batch) to a tenant's node and returns the raw response. Transport
     * failures are {@code ChainUnavailableException}s; JSON-RPC errors are left in the response.
     */
    JsonNode send(UUID tenantId, UUID nodeId, JsonNode request) {
        if (!(request instanceof ObjectNode call) || !call.has("id")) {
            return http.rpc(tenantId, nodeId, request);
        }
        NodeKey node = new NodeKey(tenantId, nodeId);
        Lane lane = lanes.get(node, k -> new Lane());
        Call mine = new Call(call, approximateBytes(call), new CompletableFuture<>());
        boolean startSender;
        lane.lock.lock();
        try {
            lane.waiting.add(mine);
            startSender = lane.inFlight < maxInFlight;
            if (startSender) {
                lane.inFlight++;
            }
        } finally {
            lane.lock.unlock();
        }
        if (startSender) {
            // Its own virtual thread, so that no caller's request waits while it sends other callers' batches.
            Thread.ofVirtual().name("json-rpc-batch").start(() -> drain(node, lane));
        }
        try {
            return mine.answer().join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException cause) {
                throw cause;
            }
            if (e.getCause() instanceof Error error) {
                throw error;
            }
            throw e;
        }
    }

    /** How many calls to the node wait for an in-flight slot right now (observability; tests line up batches). */
    int waiting(UUID tenantId, UUID nodeId) {
        Lane lane = lanes.getIfPresent(new NodeKey(tenantId, nodeId));
        if (lane == null) {
            return 0;
        }
        lane.lock.lock();
        try {
            return lane.waiting.size();
        } finally {
            lane.lock.unlock();
        }
    }

    /** Sends what is queued, batch after batch, until nothing is; then gives its in-flight slot back. */
    private void drain(NodeKey node, Lane lane) {
        while (true) {
            List<Call> batch = new ArrayList<>();
            lane.lock.lock();
            try {
                int bytes = 0;
                Call next;
                while (batch.size() < maxBatchCalls && (next = lane.waiting.peek()) != null
                        && (batch.isEmpty() || bytes + next.bytes() <= maxBatchBytes)) {
                    batch.add(lane.waiting.poll());
                    bytes += next.bytes();
                }
                if (batch.isEmpty()) {
                    // Decided under the lock that queues callers: none can be left waiting without a sender.
                    lane.inFlight--;
                    return;
                }
            } finally {
                lane.lock.unlock();
            }
            send(node, batch);
        }
    }

    private void send(NodeKey node, List<Call> batch) {
        try {
            if (batch.size() == 1) {
                Call only = batch.getFirst();
                only.answer().complete(http.rpc(node.tenantId(), node.nodeId(), only.request()));
                return;
            }
            ArrayNode requests = NODES.arrayNode();
            for (int i = 0; i < batch.size(); i++) {
                ObjectNode request = batch.get(i).request().deepCopy();
                request.put("id", i);
                requests.add(request);
            }
            JsonNode response = http.rpc(node.tenantId(), node.nodeId(), requests);
            JsonNode[] answers = new JsonNode[batch.size()];
            if (response.isArray()) {
                for (JsonNode answer : response) {
                    JsonNode id = answer.path("id");
                    if (answer.isObject() && id.isIntegralNumber() && id.asInt() >= 0 && id.asInt() < answers.length) {
                        answers[id.asInt()] = answer;
                    }
                }
            }
            for (int i = 0; i < batch.size(); i++) {
                Call call = batch.get(i);
                // A non-array response is an error about the batch as a whole: every call gets it.
                JsonNode answer = response.isArray() ? answers[i] : response;
                ObjectNode own = answer instanceof ObjectNode o ? o.deepCopy() : noAnswer();
                own.set("id", call.request().get("id"));
                call.answer().complete(own);
            }
        } catch (RuntimeException | Error e) {
            batch.forEach(call -> call.answer().completeExceptionally(e));
        } finally {
            batch.forEach(call -> call.answer().completeExceptionally(new IllegalStateException("JSON-RPC call not answered")));
        }
    }

    private static ObjectNode noAnswer() {
        ObjectNode answer = NODES.objectNode();
        answer.put("jsonrpc", "2.0");
        ObjectNode error = answer.putObject("error");
        error.put("code", -32603);
        error.put("message", "the node returned no answer to this call of a batch");
        return answer;
    }

    /** Roughly the call's serialised size: its strings (hex data, raw transactions) dominate. */
    private static int approximateBytes(JsonNode node) {
        if (node.isString()) {
            return node.stringValue().length() + 8;
        }
        int bytes = 16;
        if (node.isObject()) {
            for (Map.Entry<String, JsonNode> e : node.properties()) {
                bytes += e.getKey().length() + approximateBytes(e.getValue());
            }
        } else if (node.isArray()) {
            for (JsonNode element : node) {
                bytes += approximateBytes(element);
            }
        }
        return bytes;
    }
}
