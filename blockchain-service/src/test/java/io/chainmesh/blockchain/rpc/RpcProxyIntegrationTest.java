package io.chainmesh.blockchain.rpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.data.redis.core.StringRedisTemplate;

import io.chainmesh.blockchain.BlockchainServiceTestBase;
import io.chainmesh.testing.AnvilProcess;
import io.chainmesh.common.redis.RedisKeys;
import tools.jackson.databind.JsonNode;

/** The JSON-RPC proxy against real anvil upstreams registered as external nodes. */
class RpcProxyIntegrationTest extends BlockchainServiceTestBase {

    @Autowired
    StringRedisTemplate redis;

    private String externalNode(String token, String... upstreams) throws Exception {
        String list = String.join("\",\"", upstreams);
        String id = createNode(token, "{\"name\":\"ext\",\"network\":\"custom-evm\",\"upstreams\":[\"" + list
                + "\"]}").path("id").asString();
        awaitStatus(token, id, "RUNNING", Duration.ofSeconds(20));
        return id;
    }

    private JsonNode tree(String text) {
        return json.readTree(text);
    }

    private Instant checkedAt(String token, String node) throws Exception {
        String at = getNode(token, node).path("health").path("checkedAt").asString(null);
        return at == null ? null : Instant.parse(at);
    }

    @Test
    void forwardedAnswersEqualTheNodesOwn() throws Exception {
        AnvilProcess anvil = sharedAnvil();
        String token = tokenFor(UUID.randomUUID());
        String node = externalNode(token, anvil.url());
        for (String[] c : new String[][] {{"eth_chainId", "[]"}, {"eth_getBlockByNumber", "[\"0x0\",true]"},
                {"eth_getBalance", "[\"0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266\",\"latest\"]"},
                {"eth_call", "[{\"to\":\"0x0000000000000000000000000000000000000001\",\"data\":\"0x00\"},\"latest\"]"},
                {"eth_getTransactionReceipt", "[\"0x" + "00".repeat(32) + "\"]"},
                {"eth_gasPrice", "[]"}}) {
            assertThat(tree(rpc(token, node, call(c[0], c[1])))).as(c[0]).isEqualTo(tree(direct(anvil, c[0], c[1])));
        }
        // The node's own JSON-RPC errors come back unchanged.
        String bad = "{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"eth_getBalance\",\"params\":[\"nope\"]}";
        assertThat(tree(rpc(token, node, bad))).isEqualTo(tree(anvil.post(bad)));
    }

    @Test
    void deniedMethodsAreJsonRpcErrorsAndPlansCanReallowANamespace() throws Exception {
        AnvilProcess anvil = sharedAnvil();
        UUID tenant = UUID.randomUUID();
        allowNodes(tenant, 5);
        String free = tokenFor(tenant, "free");
        String node = externalNode(free, anvil.url());
        for (String method : List.of("admin_nodeInfo", "personal_listAccounts", "debug_traceTransaction",
                "anvil_mine", "hardhat_mine", "evm_mine")) {
            JsonNode answer = tree(rpc(free, node, call(method, "[]")));
            assertThat(answer.path("error").path("code").asInt()).as(method).isEqualTo(-32601);
            assertThat(answer.path("error").path("message").asString()).contains(method);
            assertThat(answer.path("id").asInt()).isEqualTo(1);
        }
        String enterprise = tokenFor(tenant, "enterprise");
        assertThat(tree(rpc(enterprise, node, call("evm_mine", "[]"))).has("result")).isTrue();
        assertThat(tree(rpc(enterprise, node, call("admin_nodeInfo", "[]"))).path("error").path("code").asInt())
                .isEqualTo(-32601);
    }

    @Test
    void malformedRequestsGetJsonRpcErrors() throws Exception {
        String token = tokenFor(UUID.randomUUID());
        String node = externalNode(token, sharedAnvil().url());
        assertThat(tree(rpc(token, node, "{not json")).path("error").path("code").asInt()).isEqualTo(-32700);
        assertThat(tree(rpc(token, node, "[]")).path("error").path("code").asInt()).isEqualTo(-32600);
        assertThat(tree(rpc(token, node, "{\"id\":1,\"method\":\"eth_chainId\"}")).path("error").path("code")
                .asInt()).as("jsonrpc 2.0 missing").isEqualTo(-32600);
    }

    @Test
    void aBatchAnswersEveryCallInOrderWithTheCallersIds() throws Exception {
        AnvilProcess anvil = sharedAnvil();
        String token = tokenFor(UUID.randomUUID());
        String node = externalNode(token, anvil.url());
        String batch = "[{\"jsonrpc\":\"2.0\",\"id\":\"a\",\"method\":\"eth_chainId\",\"params\":[]},"
                + "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"anvil_mine\",\"params\":[]},"
                + "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"eth_getBlockByNumber\",\"params\":[\"0x0\",false]},"
                + "{\"jsonrpc\":\"2.0\",\"method\":\"eth_chainId\",\"params\":[]},"
                + "42,"
                + "{\"jsonrpc\":\"2.0\",\"id\":null,\"method\":\"net_version\",\"params\":[]}]";
        JsonNode answer = tree(rpc(token, node, batch));
        assertThat(answer.isArray()).isTrue();
        assertThat(answer.size()).as("the notification gets no answer").isEqualTo(5);
        assertThat(answer.get(0).path("id").asString()).isEqualTo("a");
        assertThat(answer.get(0).path("result")).isEqualTo(tree(direct(anvil, "eth_chainId", "[]")).path("result"));
        assertThat(answer.get(1).path("error").path("code").asInt()).isEqualTo(-32601);
        assertThat(answer.get(2).path("id").asInt()).isEqualTo(1);
        assertThat(answer.get(2).path("result"))
                .isEqualTo(tree(direct(anvil, "eth_getBlockByNumber", "[\"0x0\",false]")).path("result"));
        assertThat(answer.get(3).path("error").path("code").asInt()).isEqualTo(-32600);
        assertThat(answer.get(4).path("id").isNull()).isTrue();
        assertThat(answer.get(4).path("result")).isEqualTo(tree(direct(anvil, "net_version", "[]")).path("result"));
    }

    private Set<String> cacheKeys(UUID tenant, String node) {
        return redis.keys(RedisKeys.node(tenant, UUID.fromString(node)) + ":*:eth_getBlockByNumber:*");
    }

    @Test
    void finalBlocksAreCachedButNeverLatestAndAReorgNeverLeavesAWrongBlock() throws Exception {
        AnvilProcess anvil = newAnvil(); // this test rewrites the chain's history
        UUID tenant = UUID.randomUUID();
        String token = tokenFor(tenant);
        String node = externalNode(token, anvil.url());
        String snapshot = tree(direct(anvil, "evm_snapshot", "[]")).path("result").asString();
        direct(anvil, "anvil_mine", "[\"0xa\"]");
        rpc(token, node, call("eth_blockNumber", "[]")); // the proxy learns head 10; final: <= 8
        String block5 = call("eth_getBlockByNumber", "[\"0x5\",false]");
        String first = rpc(token, node, block5);
        assertThat(tree(first)).isEqualTo(tree(direct(anvil, "eth_getBlockByNumber", "[\"0x5\",false]")));
        assertThat(cacheKeys(tenant, node)).hasSize(1);
        assertThat(tree(rpc(token, node, block5))).as("served from the cache").isEqualTo(tree(first));
        rpc(token, node, call("eth_getBlockByNumber", "[\"0xa\",false]"));
        rpc(token, node, call("eth_getBlockByNumber", "[\"latest\",false]"));
        assertThat(cacheKeys(tenant, node)).as("head and tags are not cached").hasSize(1);

        // A shallow reorg (within the confirmation depth): latest is the new block at once.
        direct(anvil, "anvil_reorg", "[2,[]]");
        Instant reorged = Instant.now();
        String latest = call("eth_getBlockByNumber", "[\"latest\",false]");
        assertThat(tree(rpc(token, node, latest)).path("result").path("hash")).isEqualTo(
                tree(direct(anvil, "eth_getBlockByNumber", "[\"latest\",false]")).path("result").path("hash"));
        assertThat(tree(rpc(token, node, block5))).isEqualTo(tree(direct(anvil, "eth_getBlockByNumber",
                "[\"0x5\",false]")));

        // The health checker has probed the chain as it is now (head 10) ...
        // (reorg detection compares what it saw with what it sees: it must have seen the chain being replaced, so
        // wait for a probe that began after the reorg: the second one recorded after it)
        Instant firstProbe = await("a probe after the reorg").atMost(Duration.ofSeconds(5))
                .until(() -> checkedAt(token, node), at -> at != null && at.isAfter(reorged));
        await("the next probe").atMost(Duration.ofSeconds(5))
                .until(() -> checkedAt(token, node), at -> at.isAfter(firstProbe));
        assertThat(getNode(token, node).path("health").path("headBlock").asLong()).isEqualTo(10);
        // ... then a deep rewrite behind the proxy's back (revert to genesis, build a different chain to the same
        // height):
        // the health probe notices the replaced head and the cache stops serving the old block 5.
        direct(anvil, "evm_revert", "[\"" + snapshot + "\"]");
        direct(anvil, "anvil_setNextBlockTimestamp", "[\"0x" + Long.toHexString(4_000_000_000L) + "\"]");
        direct(anvil, "anvil_mine", "[\"0xa\"]");
        String newBlock5 = direct(anvil, "eth_getBlockByNumber", "[\"0x5\",false]");
        assertThat(tree(newBlock5).path("result").path("hash")).isNotEqualTo(tree(first).path("result").path("hash"));
        await("block 5 of the new chain").atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(50))
                .until(() -> tree(rpc(token, node, block5)), tree(newBlock5)::equals);

        // A rewrite through the proxy (a plan that may use evm_) drops the cache before the call even returns.
        String enterprise = tokenFor(tenant, "enterprise");
        String snap2 = tree(rpc(enterprise, node, call("evm_snapshot", "[]"))).path("result").asString();
        rpc(token, node, call("eth_blockNumber", "[]"));
        rpc(token, node, block5);
        rpc(enterprise, node, call("evm_revert", "[\"" + snap2 + "\"]"));
        rpc(enterprise, node, call("evm_revert", "[\"" + snapshot + "\"]"));
        rpc(enterprise, node, call("anvil_mine", "[\"0xa\"]"));
        assertThat(tree(rpc(token, node, block5))).isEqualTo(tree(direct(anvil, "eth_getBlockByNumber",
                "[\"0x5\",false]")));
        anvil.kill();
    }

    @Test
    void whenOneOfTwoUpstreamsDiesNoCallerRequestFails() throws Exception {
        AnvilProcess doomed = newAnvil();
        AnvilProcess survivor = sharedAnvil();
        UUID tenant = UUID.randomUUID();
        String token = tokenFor(tenant);
        // Two independent dev chains with the same chain id stand in for two replicas of one chain.
        String node = externalNode(token, doomed.url(), survivor.url());
        ExecutorService pool = Executors.newFixedThreadPool(4);
        AtomicBoolean stop = new AtomicBoolean();
        AtomicInteger answered = new AtomicInteger();
        ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
        List<Future<?>> workers = new ArrayList<>();
        for (int w = 0; w < 4; w++) {
            workers.add(pool.submit(() -> {
                while (!stop.get()) {
                    String answer = rpc(token, node, call("eth_blockNumber", "[]"));
                    if (!tree(answer).has("result")) {
                        failures.add(answer);
                    }
                    answered.incrementAndGet();
                }
                return null;
            }));
        }
        await("traffic over both upstreams").atMost(Duration.ofSeconds(10)).until(() -> answered.get() >= 50);
        doomed.kill();
        int atKill = answered.get();
        // Enough requests after the kill to see the dead upstream's breaker open and its pooled connections fail.
        await("traffic after the kill").atMost(Duration.ofSeconds(30)).until(() -> answered.get() >= atKill + 200);
        stop.set(true);
        for (Future<?> worker : workers) {
            worker.get();
        }
        pool.shutdown();
        int total = answered.get();
        System.out.printf("failover: %d caller requests, %d after one of two upstreams was killed, %d failed%n",
                total, total - atKill, failures.size());
        assertThat(failures).as("failed caller requests out of " + total).isEmpty();
        // The node is degraded, not failed: one upstream still answers.
        await("the node degraded").atMost(Duration.ofSeconds(5))
                .until(() -> getNode(token, node).path("health").path("status").asString(), "degraded"::equals);
        assertThat(getNode(token, node).path("status").asString()).isEqualTo("RUNNING");
    }
}
