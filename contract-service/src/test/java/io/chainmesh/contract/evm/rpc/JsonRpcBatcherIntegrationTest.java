package io.chainmesh.contract.evm.rpc;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.BooleanSupplier;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.web3j.crypto.Hash;
import org.web3j.utils.Numeric;

import io.chainmesh.contract.ContractProperties;
import io.chainmesh.contract.ContractServiceTestBase;
import io.chainmesh.contract.FakeBlockchainService;
import io.chainmesh.contract.TestChains;
import io.chainmesh.testing.AnvilProcess;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * JSON-RPC calls to one node leave as batches while the node is busy, through the real HTTP stand-in for
 * blockchain-service to a real anvil: with every in-flight slot taken by a held request, further calls queue and go
 * out as one batch when a slot frees, each caller gets the answer to its own call (errors included), and an idle node
 * still gets single calls as they are.
 */
class JsonRpcBatcherIntegrationTest extends ContractServiceTestBase {

    private static final int QUEUED = 30;

    @Autowired
    JsonRpcBatcher batcher;

    @Autowired
    ContractProperties properties;

    @Test
    void callsMadeWhileEveryInFlightSlotIsTakenLeaveAsOneBatchAndEachCallerGetsItsOwnAnswer() throws Exception {
        UUID tenant = UUID.randomUUID();
        UUID node = FakeBlockchainService.get().addNode(tenant, TestChains.automining());
        int slots = properties.blockchain().maxInFlight();
        List<Future<JsonNode>> first = new ArrayList<>();
        List<Future<JsonNode>> queued = new ArrayList<>();
        Future<JsonNode> invalid;
        try (ExecutorService callers = Executors.newVirtualThreadPerTaskExecutor()) {
            FakeBlockchainService.get().holdRpc(node);
            try {
                // One at a time, so that each takes a slot of its own (a sender drains whatever has queued).
                for (int i = 0; i < slots; i++) {
                    String input = "first-" + i;
                    first.add(callers.submit(() -> batcher.send(tenant, node, sha3Call(input))));
                    int held = i + 1;
                    awaitCondition(() -> FakeBlockchainService.get().heldRequests(node) == held);
                }
                for (int i = 0; i < QUEUED - 1; i++) {
                    String input = "queued-" + i;
                    queued.add(callers.submit(() -> batcher.send(tenant, node, sha3Call(input))));
                }
                invalid = callers.submit(() -> batcher.send(tenant, node, call("eth_getBalance", "not-an-address", "latest")));
                awaitCondition(() -> batcher.waiting(tenant, node) == QUEUED);
            } finally {
                FakeBlockchainService.get().releaseRpc(node);
            }
        }

        for (int i = 0; i < slots; i++) {
            assertThat(first.get(i).get().path("result").asString()).isEqualTo(keccak("first-" + i));
        }
        for (int i = 0; i < QUEUED - 1; i++) {
            JsonNode answer = queued.get(i).get();
            assertThat(answer.path("result").asString()).isEqualTo(keccak("queued-" + i));
            assertThat(answer.path("error").isMissingNode()).isTrue();
        }
        assertThat(invalid.get().path("error").path("code").asInt()).isEqualTo(-32602);
        assertThat(invalid.get().has("result")).isFalse();

        List<JsonNode> received = FakeBlockchainService.get().rpcRequests(node);
        assertThat(received).hasSize(slots + 1);
        assertThat(received.subList(0, slots)).allMatch(JsonNode::isObject);
        assertThat(received.getLast().isArray()).isTrue();
        assertThat(received.getLast()).hasSize(QUEUED);
    }

    @Test
    void aCallToAnIdleNodeGoesOutAloneAndUnchanged() {
        UUID tenant = UUID.randomUUID();
        UUID node = FakeBlockchainService.get().addNode(tenant, TestChains.automining());
        ObjectNode call = sha3Call("alone");
        JsonNode answer = batcher.send(tenant, node, call);
        assertThat(answer.path("result").asString()).isEqualTo(keccak("alone"));
        assertThat(FakeBlockchainService.get().rpcRequests(node)).containsExactly(call);
    }

    private static ObjectNode sha3Call(String input) {
        return call("web3_sha3", Numeric.toHexString(input.getBytes(StandardCharsets.UTF_8)));
    }

    private static ObjectNode call(String method, String... params) {
        ObjectNode call = JsonNodeFactory.instance.objectNode();
        call.put("jsonrpc", "2.0");
        call.put("id", UUID.randomUUID().toString());
        call.put("method", method);
        var array = call.putArray("params");
        for (String p : params) {
            array.add(p);
        }
        return call;
    }

    private static String keccak(String input) {
        return Numeric.toHexString(Hash.sha3(input.getBytes(StandardCharsets.UTF_8)));
    }

    private static void awaitCondition(BooleanSupplier condition) {
        Awaitility.await().atMost(Duration.ofSeconds(20)).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(10)).until(condition::getAsBoolean);
    }
}
