package io.chainmesh.blockchain.rpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.data.domain.Range;
import org.springframework.data.redis.connection.Limit;
import org.springframework.data.redis.connection.stream.MapRecord;
import org.springframework.data.redis.core.StringRedisTemplate;

import io.chainmesh.blockchain.BlockchainServiceTestBase;
import io.chainmesh.testing.AnvilProcess;
import io.chainmesh.common.events.ApiKeyRevoked;
import io.chainmesh.common.events.EventCodec;
import io.chainmesh.common.events.EventEnvelope;
import io.chainmesh.common.events.EventPublisher;
import io.chainmesh.common.events.Streams;
import io.chainmesh.common.events.TenantSuspended;
import io.chainmesh.common.events.UsageRecorded;
import io.chainmesh.common.identity.Identity;
import io.chainmesh.common.redis.RedisKeys;
import tools.jackson.databind.JsonNode;

/**
 * JSON-RPC over WebSocket with the JDK's WebSocket client against real anvil upstreams: subscriptions, ordinary
 * calls, the method policy, ownership, closing, limits and metering.
 */
class RpcWebSocketIntegrationTest extends BlockchainServiceTestBase {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @Autowired
    StringRedisTemplate redis;

    @Autowired
    EventPublisher events;

    private final List<Client> opened = new ArrayList<>();

    @AfterEach
    void closeClients() {
        opened.forEach(c -> c.socket.abort());
    }

    /** A client socket that queues what it receives. */
    final class Client implements WebSocket.Listener {
        final LinkedBlockingQueue<JsonNode> received = new LinkedBlockingQueue<>();
        final CompletableFuture<Integer> closedWith = new CompletableFuture<>();
        final StringBuilder partial = new StringBuilder();
        WebSocket socket;

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                received.add(json.readTree(partial.toString()));
                partial.setLength(0);
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            closedWith.complete(statusCode);
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            closedWith.completeExceptionally(error);
        }

        void send(String text) {
            socket.sendText(text, true).join();
        }

        JsonNode next() throws InterruptedException {
            JsonNode message = received.poll(10, TimeUnit.SECONDS);
            assertThat(message).as("a message within 10 s").isNotNull();
            return message;
        }

        /** Sends a call and returns the answer with its id (notifications arriving meanwhile are skipped). */
        JsonNode call(int id, String method, String params) throws InterruptedException {
            send("{\"jsonrpc\":\"2.0\",\"id\":" + id + ",\"method\":\"" + method + "\",\"params\":" + params + "}");
            while (true) {
                JsonNode message = next();
                if (message.path("id").asInt(-1) == id) {
                    return message;
                }
            }
        }
    }

    private Client connect(String token, String nodeId) throws Exception {
        Client client = new Client();
        client.socket = HTTP.newWebSocketBuilder().header(Identity.HEADER, token)
                .buildAsync(URI.create("ws://127.0.0.1:" + port + "/v1/nodes/" + nodeId + "/rpc"), client)
                .get(10, TimeUnit.SECONDS);
        opened.add(client);
        return client;
    }

    private static int handshakeStatus(ThrowingConnect connect) {
        try {
            connect.run();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof WebSocketHandshakeException refused) {
                return refused.getResponse().statusCode();
            }
            throw new AssertionError(e);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        throw new AssertionError("the handshake was accepted");
    }

    interface ThrowingConnect {
        void run() throws Exception;
    }

    private String externalNode(String token, String upstream) throws Exception {
        String id = createNode(token, "{\"name\":\"ws\",\"network\":\"custom-evm\",\"upstreams\":[\"" + upstream
                + "\"]}").path("id").asString();
        awaitStatus(token, id, "RUNNING", Duration.ofSeconds(20));
        return id;
    }

    /** The newest entry of the usage stream now, so a test reads only what was published after it. */
    private String usageStreamPosition() {
        List<MapRecord<String, Object, Object>> newest = redis.opsForStream().reverseRange(Streams.USAGE,
                Range.unbounded(), Limit.limit().count(1));
        return newest == null || newest.isEmpty() ? "0-0" : newest.getFirst().getId().getValue();
    }

    /** What the gateway's admission check before an upgrade answers. */
    private int admission(String token, String nodeId) throws Exception {
        return mvc.perform(org.springframework.test.web.servlet.request.MockMvcRequestBuilders
                .get("/v1/nodes/" + nodeId + "/rpc/admission").header(Identity.HEADER, token)).andReturn()
                .getResponse().getStatus();
    }

    /** The tenant's usage events published after {@code position}, oldest first. */
    private List<UsageRecorded> usageEventsOf(UUID tenant, String position) {
        List<UsageRecorded> events = new ArrayList<>();
        for (MapRecord<String, Object, Object> record : redis.opsForStream().range(Streams.USAGE,
                Range.rightUnbounded(Range.Bound.exclusive(position)))) {
            EventEnvelope event = EventCodec.decode((String) record.getValue().get(Streams.FIELD));
            if (tenant.equals(event.tenantId())) {
                events.add(event.event(UsageRecorded.class));
            }
        }
        return events;
    }

    private static long computeUnitsOf(List<UsageRecorded> events) {
        return events.stream().mapToLong(UsageRecorded::computeUnits).sum();
    }

    private long counterOf(UUID tenant) {
        String value = redis.opsForValue().get(RedisKeys.computeUnitsNow(tenant));
        return value == null ? 0 : Long.parseLong(value);
    }

    @Test
    void newHeadsSubscriptionDeliversAMinedBlockCallsWorkDeniedMethodsAreErrorsAndEverythingIsMetered()
            throws Exception {
        AnvilProcess anvil = sharedAnvil();
        String streamPosition = usageStreamPosition();
        UUID tenant = UUID.randomUUID();
        String token = tokenFor(tenant);
        String node = externalNode(token, anvil.url());
        Client client = connect(token, node);

        // An ordinary call answers exactly what the node answers.
        JsonNode chainId = client.call(1, "eth_chainId", "[]");
        assertThat(chainId).isEqualTo(json.readTree(direct(anvil, "eth_chainId", "[]")));

        JsonNode subscribed = client.call(2, "eth_subscribe", "[\"newHeads\"]");
        String subscription = subscribed.path("result").asString();
        assertThat(subscription).startsWith("0x");

        // Denied: answered here with a JSON-RPC error frame, never forwarded (mining is done on the upstream).
        JsonNode denied = client.call(3, "anvil_mine", "[]");
        assertThat(denied.path("error").path("code").asInt()).isEqualTo(-32601);
        assertThat(denied.path("error").path("message").asString()).contains("anvil_mine");
        long head = Long.decode(json.readTree(direct(anvil, "eth_blockNumber", "[]")).path("result").asString());

        direct(anvil, "evm_mine", "[]");
        JsonNode notification = client.next();
        assertThat(notification.path("method").asString()).isEqualTo("eth_subscription");
        assertThat(notification.path("params").path("subscription").asString()).isEqualTo(subscription);
        assertThat(Long.decode(notification.path("params").path("result").path("number").asString()))
                .isGreaterThan(head);

        assertThat(client.call(4, "eth_unsubscribe", "[\"" + subscription + "\"]").path("result").asBoolean())
                .isTrue();
        client.socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye").get(5, TimeUnit.SECONDS);
        assertThat(client.closedWith.get(5, TimeUnit.SECONDS)).isEqualTo(WebSocket.NORMAL_CLOSURE);

        // eth_chainId 0 + eth_subscribe 10 + anvil_mine (not in the table: default 20) + 1 notification (1)
        // + eth_unsubscribe 10, on the monthly counter and in usage events of route rpc-ws.
        long expected = 0 + 10 + 20 + 1 + 10;
        // A flush increments the counter first and appends the event after it: wait for both.
        List<UsageRecorded> events = await("the socket's units counted and published").atMost(Duration.ofSeconds(10))
                .pollInterval(Duration.ofMillis(50)).until(() -> usageEventsOf(tenant, streamPosition),
                        published -> counterOf(tenant) >= expected && computeUnitsOf(published) >= expected);
        assertThat(counterOf(tenant)).isEqualTo(expected);
        assertThat(events).isNotEmpty().allSatisfy(e -> {
            assertThat(e.route()).isEqualTo("rpc-ws");
            assertThat(e.path()).isEqualTo("/v1/nodes/{id}/rpc");
            assertThat(e.nodeId()).isEqualTo(UUID.fromString(node));
        });
        assertThat(computeUnitsOf(events)).isEqualTo(expected);
        assertThat(events).anySatisfy(e -> assertThat(String.valueOf(e.rpcMethod()) + e.rpcMethods())
                .contains("eth_subscribe"));
    }

    @Test
    void revokingTheKeyClosesOnlyItsSocketsAndSuspendingTheTenantClosesTheRest() throws Exception {
        UUID tenant = UUID.randomUUID();
        UUID revokedKey = UUID.randomUUID();
        UUID otherKey = UUID.randomUUID();
        Set<String> scopes = Set.of("read", "write", "rpc");
        String revokedToken = identityCodec.sign(new Identity(tenant, "key:" + revokedKey, scopes, "free", revokedKey));
        String otherToken = identityCodec.sign(new Identity(tenant, "key:" + otherKey, scopes, "free", otherKey));
        String node = externalNode(otherToken, sharedAnvil().url());
        Client doomed = connect(revokedToken, node);
        Client survivor = connect(otherToken, node);
        assertThat(doomed.call(1, "eth_chainId", "[]").has("result")).isTrue();
        assertThat(survivor.call(1, "eth_chainId", "[]").has("result")).isTrue();

        // What tenant-service publishes (via its outbox) when the key is revoked.
        events.publish(tenant, new ApiKeyRevoked(revokedKey));
        assertThat(doomed.closedWith.get(10, TimeUnit.SECONDS)).isEqualTo(1008);
        assertThat(survivor.call(2, "eth_chainId", "[]").has("result")).as("another key's socket stays open").isTrue();

        events.publish(tenant, new TenantSuspended());
        assertThat(survivor.closedWith.get(10, TimeUnit.SECONDS)).isEqualTo(1008);
    }

    @Test
    void anotherTenantsNodeIsRefusedAndAnUpgradeWithoutIdentityIsUnauthorized() throws Exception {
        String owner = tokenFor(UUID.randomUUID());
        String node = externalNode(owner, sharedAnvil().url());
        String stranger = tokenFor(UUID.randomUUID());
        assertThat(handshakeStatus(() -> connect(stranger, node))).isEqualTo(404);
        assertThat(handshakeStatus(() -> HTTP.newWebSocketBuilder()
                .buildAsync(URI.create("ws://127.0.0.1:" + port + "/v1/nodes/" + node + "/rpc"), new Client())
                .get(10, TimeUnit.SECONDS))).isEqualTo(401);
        // The gateway's check before it upgrades a client answers the same as the handshake.
        assertThat(admission(owner, node)).isEqualTo(204);
        assertThat(admission(stranger, node)).isEqualTo(404);
        assertThat(admission(owner, UUID.randomUUID().toString())).isEqualTo(404);
        // A plain GET is not an upgrade: the usual 405 problem, not a WebSocket error.
        assertThat(mvc.perform(org.springframework.test.web.servlet.request.MockMvcRequestBuilders
                .get("/v1/nodes/" + node + "/rpc").header(Identity.HEADER, owner)).andReturn().getResponse()
                .getStatus()).isEqualTo(405);
    }

    @Test
    void batchesKeepAllowedCallsAndAnswerDeniedOnesHere() throws Exception {
        String token = tokenFor(UUID.randomUUID());
        Client client = connect(token, externalNode(token, sharedAnvil().url()));
        client.send("[{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"eth_chainId\",\"params\":[]},"
                + "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"debug_traceTransaction\",\"params\":[]}]");
        List<JsonNode> answers = new ArrayList<>();
        while (answers.size() < 2) {
            client.next().forEach(answers::add);
        }
        assertThat(answers).anySatisfy(a -> {
            assertThat(a.path("id").asInt()).isEqualTo(1);
            assertThat(a.path("result").asString()).startsWith("0x");
        });
        assertThat(answers).anySatisfy(a -> {
            assertThat(a.path("id").asInt()).isEqualTo(2);
            assertThat(a.path("error").path("code").asInt()).isEqualTo(-32601);
        });
        client.send("not json");
        assertThat(client.next().path("error").path("code").asInt()).isEqualTo(-32700);
    }

    @Test
    void whenTheNodeGoesAwayTheClientSocketIsClosed() throws Exception {
        AnvilProcess anvil = newAnvil();
        String token = tokenFor(UUID.randomUUID());
        Client client = connect(token, externalNode(token, anvil.url()));
        assertThat(client.call(1, "eth_blockNumber", "[]").has("result")).isTrue();
        anvil.kill();
        assertThat(client.closedWith.get(10, TimeUnit.SECONDS)).isIn(1001, 1012);
    }

    @Test
    void aTenantMayHoldOnlyItsSocketLimit() throws Exception {
        String token = tokenFor(UUID.randomUUID());
        String node = externalNode(token, sharedAnvil().url());
        Client first = connect(token, node);
        connect(token, node);
        assertThat(handshakeStatus(() -> connect(token, node))).isEqualTo(429);
        assertThat(admission(token, node)).isEqualTo(429);
        first.socket.sendClose(WebSocket.NORMAL_CLOSURE, "").get(5, TimeUnit.SECONDS);
        first.closedWith.get(5, TimeUnit.SECONDS);
        // The server frees the slot when it sees the close, a moment after the client did.
        await("a slot freed by the closed socket").atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(50))
                .until(() -> admission(token, node), status -> status == 204);
        assertThat(connect(token, node).socket.isInputClosed()).isFalse();
    }

    @Test
    void exhaustingTheMonthlyQuotaClosesTheSocketWithPolicyViolation() throws Exception {
        UUID tenant = UUID.randomUUID();
        String token = tokenFor(tenant);
        String node = externalNode(token, sharedAnvil().url());
        // FakeTenantService's plans have 3,000,000 units a month; leave 5.
        redis.opsForValue().set(RedisKeys.computeUnitsNow(tenant), "2999995", Duration.ofMinutes(5));
        Client client = connect(token, node);
        client.call(1, "eth_subscribe", "[\"newHeads\"]");
        assertThat(client.closedWith.get(5, TimeUnit.SECONDS)).isEqualTo(1008);
        assertThat(handshakeStatus(() -> connect(token, node))).isEqualTo(429);
    }
}
