package io.chainmesh.blockchain;

import static org.awaitility.Awaitility.await;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;

import java.time.Duration;
import java.util.UUID;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.MockMvc;

import io.chainmesh.common.identity.Identity;
import io.chainmesh.common.identity.IdentityTokenCodec;
import io.chainmesh.common.tenant.TenantContextView;
import io.chainmesh.testing.AnvilProcess;
import io.chainmesh.testing.IdentityTokens;
import io.chainmesh.testing.TenantServiceStandIn;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The one Spring context of blockchain-service's integration tests: every subclass inherits exactly this configuration,
 * so the context cache starts it once. Runs against the local PostgreSQL (database
 * {@code chainmesh_test_chain}, created on first start), Redis and real anvil processes (test-support's
 * {@link AnvilProcess}); tenant-service is replaced by test-support's {@link TenantServiceStandIn}. Local nodes get
 * ports 19600-19649 and are stopped when the context closes. The server listens on a random port ({@link #port}) for
 * the WebSocket tests; everything else uses MockMvc.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "CHAINMESH_DB_PREFIX=chainmesh_test",
        "chainmesh.blockchain.nodes.local.port-range=19600-19649",
        "chainmesh.blockchain.nodes.local.data-dir=target/test-nodes",
        "chainmesh.blockchain.nodes.local.stop-on-shutdown=true",
        "chainmesh.blockchain.nodes.local.state-interval=1s",
        "chainmesh.blockchain.nodes.reconcile-interval=500ms",
        "chainmesh.blockchain.nodes.health-interval=500ms",
        "chainmesh.blockchain.nodes.external.allow-private-targets=true",
        "chainmesh.blockchain.rpc.cache.confirmation-depth=2",
        "chainmesh.blockchain.rpc.upstream-timeout=2s",
        "chainmesh.blockchain.rpc.circuit-breaker.wait-in-open-state=30s",
        "chainmesh.blockchain.rpc.web-socket.usage-flush-interval=200ms",
        "chainmesh.blockchain.rpc.web-socket.max-sockets-per-tenant=2"})
@AutoConfigureMockMvc
public abstract class BlockchainServiceTestBase {

    /** anvil's own default chain id: external nodes' upstreams are independent dev chains with the same id. */
    protected static final long ANVIL_CHAIN_ID = 31337;

    @Autowired
    protected MockMvc mvc;

    @LocalServerPort
    protected int port;

    @Autowired
    protected IdentityTokenCodec identityCodec;

    @Autowired
    protected JsonMapper json;

    @DynamicPropertySource
    static void platform(DynamicPropertyRegistry registry) {
        registry.add("chainmesh.blockchain.tenant-service.url", () -> TenantServiceStandIn.shared().url());
        registry.add("chainmesh.blockchain.nodes.local.anvil-bin", AnvilProcess::binary);
    }

    /** The suite's stable upstream for external nodes; tests that kill or reorganise a chain take {@link #newAnvil}. */
    protected static AnvilProcess sharedAnvil() {
        return AnvilProcess.shared(ANVIL_CHAIN_ID);
    }

    protected static AnvilProcess newAnvil() {
        return AnvilProcess.start(ANVIL_CHAIN_ID);
    }

    /** A JSON-RPC call straight to the anvil, bypassing the service; the raw response body. */
    protected static String direct(AnvilProcess anvil, String method, String params) {
        return anvil.post(call(method, params));
    }

    /** From now on the tenant's plan allows {@code maxNodes} nodes (the free plan's other limits). */
    protected static void allowNodes(UUID tenantId, int maxNodes) {
        TenantContextView.Limits free = TenantServiceStandIn.FREE;
        TenantServiceStandIn.shared().limits(tenantId, new TenantContextView.Limits(free.requestsPerSecond(),
                free.burst(), free.monthlyComputeUnits(), maxNodes, free.maxWebhooks()));
    }

    protected String tokenFor(UUID tenantId) {
        return tokenFor(tenantId, "free");
    }

    protected String tokenFor(UUID tenantId, String plan) {
        return new IdentityTokens(identityCodec).user(tenantId, plan);
    }

    protected String internalTokenFor(UUID tenantId) {
        return new IdentityTokens(identityCodec).internal(tenantId, "contract");
    }

    protected JsonNode createNode(String token, String body) throws Exception {
        String response = mvc.perform(post("/v1/nodes").header(Identity.HEADER, token)
                .contentType(MediaType.APPLICATION_JSON).content(body)).andReturn().getResponse()
                .getContentAsString();
        return json.readTree(response);
    }

    protected JsonNode getNode(String token, String id) throws Exception {
        return json.readTree(mvc.perform(get("/v1/nodes/" + id).header(Identity.HEADER, token)).andReturn()
                .getResponse().getContentAsString());
    }

    /** Waits until the node has the status, failing after the timeout with the node as it was last seen. */
    protected JsonNode awaitStatus(String token, String id, String status, Duration timeout) {
        return await("node " + id + " " + status).atMost(timeout).pollInterval(Duration.ofMillis(100))
                .until(() -> getNode(token, id), node -> status.equals(node.path("status").asString()));
    }

    /** JSON-RPC through the public endpoint; returns the raw response body. */
    protected String rpc(String token, String nodeId, String body) throws Exception {
        return mvc.perform(post("/v1/nodes/" + nodeId + "/rpc").header(Identity.HEADER, token)
                .contentType(MediaType.APPLICATION_JSON).content(body)).andReturn().getResponse()
                .getContentAsString();
    }

    protected static String call(String method, String params) {
        return "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"" + method + "\",\"params\":" + params + "}";
    }
}
