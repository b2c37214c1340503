package io.chainmesh.contract;

import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.delete;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.function.Predicate;

import org.awaitility.Awaitility;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.MvcResult;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;

import io.chainmesh.common.events.EventCodec;
import io.chainmesh.common.events.EventEnvelope;
import io.chainmesh.common.events.Streams;
import io.chainmesh.common.identity.Identity;
import io.chainmesh.common.identity.IdentityTokenCodec;
import io.chainmesh.testing.AnvilProcess;
import io.chainmesh.testing.IdentityTokens;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The one Spring context of contract-service's integration tests: every subclass inherits exactly this configuration,
 * so the context cache starts it once. Runs against the local PostgreSQL (database {@code chainmesh_test_contract}),
 * Redis, real anvil chains ({@link TestChains}) and a real HTTP stand-in for blockchain-service
 * ({@link FakeBlockchainService}) that forwards JSON-RPC to them.
 *
 * <p>{@code stuck-after} is 2s instead of 60s so that the fee bump of a stuck transaction can be watched; on the
 * automining chain a transaction is mined as it arrives, so it never applies to the other tests' transactions (and
 * where it did, a bump only replaces a transaction with a dearer copy of itself).
 */
@SpringBootTest(properties = {
        "CHAINMESH_DB_PREFIX=chainmesh_test",
        "chainmesh.platform.identity.secret=" + FakeBlockchainService.IDENTITY_SECRET,
        "chainmesh.contract.transactions.track-interval=200ms",
        "chainmesh.contract.transactions.stuck-after=2s",
        "chainmesh.contract.subscriptions.poll-interval=200ms"})
@AutoConfigureMockMvc
public abstract class ContractServiceTestBase {

    protected static final JsonMapper JSON = JsonMapper.builder().build();
    /** How often a wait looks again; it looks first at once, so a condition that already holds costs nothing. */
    protected static final Duration POLL = Duration.ofMillis(100);

    @DynamicPropertySource
    static void chain(DynamicPropertyRegistry registry) {
        TestChains.automining();
        registry.add("chainmesh.contract.blockchain.url", () -> FakeBlockchainService.get().url());
    }

    @Autowired
    protected MockMvc mvc;

    @Autowired
    protected IdentityTokenCodec identityCodec;

    @Autowired
    private JdbcClient database;

    /** A member of the tenant with the scopes contract-service's API asks for. */
    protected String tokenFor(UUID tenantId) {
        return new IdentityTokens(identityCodec).withScopes(tenantId, Set.of("read", "write", "keys"));
    }

    /** A tenant with a running node and a funded managed wallet. */
    protected record Tenant(UUID id, String token, UUID nodeId, String walletId, String address) {
    }

    protected Tenant newTenant() {
        return newTenant(TestChains.automining());
    }

    /** A tenant whose node is on {@code chain}, with a funded managed wallet. */
    protected Tenant newTenant(AnvilProcess chain) {
        return newTenant(chain, null);
    }

    /** A tenant whose node is on {@code chain}, with a funded wallet: imported from {@code privateKey}, or managed. */
    protected Tenant newTenant(AnvilProcess chain, String privateKey) {
        UUID tenantId = UUID.randomUUID();
        String token = tokenFor(tenantId);
        UUID nodeId = FakeBlockchainService.get().addNode(tenantId, chain);
        JsonNode wallet = expect(201, post("/v1/wallets"), token,
                privateKey == null ? "{\"name\":\"ops\"}" : "{\"name\":\"ops\",\"privateKey\":\"" + privateKey + "\"}");
        chain.fund(wallet.get("address").asString());
        return new Tenant(tenantId, token, nodeId, wallet.get("id").asString(), wallet.get("address").asString());
    }

    protected static String artifact(String name) {
        try (InputStream in = ContractServiceTestBase.class.getResourceAsStream("/contracts/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    protected String registerArtifact(Tenant t, String file) {
        return expect(201, post("/v1/contracts"), t.token(), "{\"artifact\":" + artifact(file) + ", \"name\":\"" + file + "\"}")
                .get("id").asString();
    }

    /** Deploys with ?confirm=true and returns the instance id. */
    protected String deploy(Tenant t, String contractId, String args) {
        JsonNode op = expect(200, post("/v1/contracts/" + contractId + "/deploy?confirm=true"), t.token(),
                "{\"nodeId\":\"" + t.nodeId() + "\",\"walletId\":\"" + t.walletId() + "\",\"args\":" + args + "}");
        if (!op.path("status").asString().equals("Succeeded")) {
            throw new AssertionError("deploy did not succeed: " + op);
        }
        return op.path("instance").path("id").asString();
    }

    protected JsonNode call(Tenant t, String instanceId, String method, String args) {
        return expect(200, post("/v1/instances/" + instanceId + "/call/" + method), t.token(), "{\"args\":" + args + "}");
    }

    protected JsonNode sendConfirmed(Tenant t, String instanceId, String method, String args) {
        return expect(200, post("/v1/instances/" + instanceId + "/send/" + method + "?confirm=true"), t.token(),
                "{\"walletId\":\"" + t.walletId() + "\",\"args\":" + args + "}");
    }

    protected JsonNode expect(int status, MockHttpServletRequestBuilder request, String token, String body) {
        MvcResult result = exchange(request, token, body);
        int actual = result.getResponse().getStatus();
        String content = bodyOf(result);
        if (actual != status) {
            throw new AssertionError("expected " + status + " but got " + actual + ": " + content);
        }
        return content.isEmpty() ? JSON.nullNode() : JSON.readTree(content);
    }

    protected MvcResult exchange(MockHttpServletRequestBuilder request, String token, String body) {
        try {
            if (token != null) {
                request.header(Identity.HEADER, token);
            }
            if (body != null) {
                request.contentType(MediaType.APPLICATION_JSON).content(body);
            }
            return mvc.perform(request).andReturn();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    protected static String bodyOf(MvcResult result) {
        try {
            return result.getResponse().getContentAsString(StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    protected JsonNode getJson(String path, String token) {
        return expect(200, get(path), token, null);
    }

    protected void deleteOk(String path, String token) {
        expect(204, delete(path), token, null);
    }

    /**
     * Waits until the {@code chainmesh.tx} events of one transaction that the outbox relay has put on the stream
     * satisfy {@code condition}; returns them in publication order.
     */
    protected List<EventEnvelope> awaitTxEvents(String transactionId, Duration timeout, Predicate<List<EventEnvelope>> condition) {
        return Awaitility.await("chainmesh.tx events of " + transactionId).atMost(timeout).pollDelay(Duration.ZERO).pollInterval(POLL)
                .until(() -> published(Streams.TX, "\"transactionId\":\"" + transactionId + "\""), condition::test);
    }

    /** What the outbox relay has put on {@code stream} whose envelope contains {@code fragment}, in order. */
    protected List<EventEnvelope> published(String stream, String fragment) {
        return database.sql("SELECT envelope FROM outbox WHERE stream = :stream AND published_at IS NOT NULL"
                        + " AND envelope LIKE :match ORDER BY seq")
                .param("stream", stream).param("match", "%" + fragment + "%")
                .query(String.class).list().stream().map(EventCodec::decode).toList();
    }

    /** Polls {@code path} until {@code condition} holds (or fails after {@code timeout}). */
    protected JsonNode await(String path, String token, Duration timeout, Predicate<JsonNode> condition) {
        return Awaitility.await(path).atMost(timeout).pollDelay(Duration.ZERO).pollInterval(POLL).until(() -> getJson(path, token), condition::test);
    }
}
