package io.chainmesh.e2e;

import static io.chainmesh.e2e.Platform.JSON;
import static io.chainmesh.e2e.Platform.gateway;
import static io.chainmesh.e2e.Platform.signup;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.IntUnaryOperator;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

import com.sun.net.httpserver.HttpServer;

import io.chainmesh.e2e.Platform.Response;
import io.chainmesh.e2e.Platform.Tenant;
import tools.jackson.databind.JsonNode;

/**
 * Signed webhooks end to end, through the gateway against the platform {@code bin/chainmesh up} starts (which allows
 * private webhook targets, so the receiver here runs on 127.0.0.1). Every received webhook is verified with the
 * {@code standardwebhooks} npm package run by node. Events: tenant-service's {@code api_key.*} events and a contract
 * event from a real anvil node.
 */
@ExtendWith(Platform.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class WebhooksE2ETest {

    /** A real receiver: records requests per path, answers by the request's number on that path. */
    static final class Receiver {
        record Got(String path, Map<String, String> headers, String body, Instant at) {
            String webhookId() {
                return headers.get("webhook-id");
            }
        }

        final HttpServer server;
        final Map<String, List<Got>> got = new ConcurrentHashMap<>();
        final Map<String, IntUnaryOperator> statusByPath = new ConcurrentHashMap<>();

        Receiver(int port) throws IOException {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 128);
            server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
            server.createContext("/", exchange -> {
                String path = exchange.getRequestURI().getPath();
                Map<String, String> headers = new LinkedHashMap<>();
                exchange.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(), String.join(",", v)));
                String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
                List<Got> list = got.computeIfAbsent(path, p -> new CopyOnWriteArrayList<>());
                int n;
                synchronized (list) {
                    list.add(new Got(path, headers, body, Instant.now()));
                    n = list.size();
                }
                int status = statusByPath.getOrDefault(path, i -> 200).applyAsInt(n);
                byte[] out = "{\"ok\":true}".getBytes(StandardCharsets.UTF_8);
                exchange.sendResponseHeaders(status, out.length);
                try (OutputStream o = exchange.getResponseBody()) {
                    o.write(out);
                }
            });
            server.start();
        }

        int port() {
            return server.getAddress().getPort();
        }

        String url(String path) {
            return "http://127.0.0.1:" + port() + path;
        }

        List<Got> at(String path) {
            return List.copyOf(got.getOrDefault(path, List.of()));
        }

        void stop() {
            server.stop(0);
        }
    }

    private static Receiver receiver;

    @BeforeAll
    static void startReceiver() throws IOException {
        receiver = new Receiver(0);
    }

    @AfterAll
    static void stopReceiver() {
        receiver.stop();
    }

    static JsonNode createEndpoint(Tenant t, String url, String eventTypes) {
        Response r = gateway("POST", "/v1/webhooks",
                "{\"url\":\"" + url + "\",\"description\":\"e2e\",\"eventTypes\":" + eventTypes + "}", t.bearer());
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        assertThat(r.json().path("secret").asString()).startsWith("whsec_");
        return r.json();
    }

    static String createApiKey(Tenant t) {
        return Platform.createKey(t, "read").id();
    }

    static JsonNode deliveries(Tenant t, String endpointId) {
        Response r = gateway("GET", "/v1/webhooks/" + endpointId + "/deliveries?limit=200", null, t.bearer());
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        return r.json().path("items");
    }

    /** Verifies with the standardwebhooks npm package; returns per request {ok, eventId, error}. */
    static List<JsonNode> verify(String secret, List<Receiver.Got> requests) throws Exception {
        List<Map<String, Object>> input = new ArrayList<>();
        for (Receiver.Got g : requests) {
            input.add(Map.of("secret", secret, "body", g.body(), "headers", Map.of(
                    "webhook-id", g.headers().get("webhook-id"),
                    "webhook-timestamp", g.headers().get("webhook-timestamp"),
                    "webhook-signature", g.headers().get("webhook-signature"))));
        }
        Path script = Platform.root().resolve("notification-service/src/test/resources/verify-standardwebhooks.js");
        Process node = new ProcessBuilder("node", script.toString()).directory(Platform.root().toFile())
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        node.getOutputStream().write(JSON.writeValueAsBytes(input));
        node.getOutputStream().close();
        String out = new String(node.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(node.waitFor(30, TimeUnit.SECONDS)).isTrue();
        List<JsonNode> results = new ArrayList<>();
        JSON.readTree(out).forEach(results::add);
        return results;
    }

    @Test
    @Order(1)
    void aTenantEventReachesTheTenantsReceiverSignedAndStandardWebhooksVerifiesIt() throws Exception {
        Tenant t = signup("hooks");
        JsonNode endpoint = createEndpoint(t, receiver.url("/tenant-events"), "[\"api_key.*\"]");
        String keyId = createApiKey(t);
        assertThat(gateway("DELETE", "/v1/api-keys/" + keyId, null, t.bearer()).status()).isEqualTo(204);

        Platform.await("api_key.created and api_key.revoked arrive", Duration.ofSeconds(30))
                .until(() -> receiver.at("/tenant-events").size(), greaterThanOrEqualTo(2));
        List<Receiver.Got> got = receiver.at("/tenant-events");
        List<JsonNode> verified = verify(endpoint.path("secret").asString(), got);
        assertThat(verified).allMatch(v -> v.path("ok").asBoolean());
        Set<String> types = new HashSet<>();
        for (Receiver.Got g : got) {
            JsonNode body = JSON.readTree(g.body());
            assertThat(body.path("tenantId").asString()).isEqualTo(t.id());
            assertThat(g.webhookId()).isEqualTo(body.path("id").asString());
            assertThat(body.path("data").path("keyId").asString()).isEqualTo(keyId);
            types.add(body.path("type").asString());
        }
        assertThat(types).containsExactlyInAnyOrder("api_key.created", "api_key.revoked");
        System.out.printf("[webhooks-e2e] tenant events delivered and verified by standardwebhooks: %s%n", types);

        // Test message, and the other tenant sees none of it.
        Response test = gateway("POST", "/v1/webhooks/" + endpoint.path("id").asString() + "/test", null, t.bearer());
        assertThat(test.status()).as(test.body()).isEqualTo(202);
        Tenant other = signup("snoop");
        assertThat(gateway("GET", "/v1/webhooks/" + endpoint.path("id").asString() + "/deliveries", null, other.bearer())
                .status()).isEqualTo(404);
        String deliveryId = deliveries(t, endpoint.path("id").asString()).get(0).path("id").asString();
        Response replay = gateway("POST", "/v1/deliveries/" + deliveryId + "/retry", null, other.bearer());
        assertThat(replay.status()).isEqualTo(404);
        assertThat(replay.json().path("code").asString()).isEqualTo("not_found");
    }

    @Test
    @Order(2)
    void thePlansWebhookQuotaComesFromTenantServiceAndMetadataTargetsAreRefused() {
        Tenant t = signup("quota");
        createEndpoint(t, receiver.url("/q1"), "[]");
        createEndpoint(t, receiver.url("/q2"), "[]");
        Response third = gateway("POST", "/v1/webhooks", "{\"url\":\"" + receiver.url("/q3") + "\"}", t.bearer());
        assertThat(third.status()).as(third.body()).isEqualTo(409);
        assertThat(third.json().path("code").asString()).isEqualTo("webhook_limit_reached");
        assertThat(third.json().path("limit").asInt()).isEqualTo(2);

        Tenant u = signup("ssrf");
        for (String url : List.of("http://169.254.169.254/latest/meta-data/", "http://[fd00:ec2::254]/",
                "http://0xa9fea9fe/", "http://metadata.google.internal/")) {
            Response r = gateway("POST", "/v1/webhooks", "{\"url\":\"" + url + "\"}", u.bearer());
            assertThat(r.status()).as(url).isEqualTo(400);
            assertThat(r.json().path("code").asString()).isEqualTo("webhook_url_refused");
            assertThat(r.json().path("reason").asString()).isEqualTo("metadata");
        }
    }

    @Test
    @Order(3)
    void aReceiverDownForAWhileGetsEveryEventOnceWhenItComesBack() throws Exception {
        Tenant t = signup("downtime");
        Receiver probe = new Receiver(0);
        int port = probe.port();
        probe.stop();
        JsonNode endpoint = createEndpoint(t, "http://127.0.0.1:" + port + "/down", "[\"api_key.*\"]");
        for (int i = 0; i < 4; i++) {
            String keyId = createApiKey(t);
            assertThat(gateway("DELETE", "/v1/api-keys/" + keyId, null, t.bearer()).status()).isEqualTo(204);
        }
        // 8 events; their first attempts meet a closed port (the next attempt is 5 s later on the default schedule).
        Platform.await("8 deliveries with a failed first attempt", Duration.ofSeconds(20)).until(() -> {
            int failedOnce = 0;
            for (JsonNode d : deliveries(t, endpoint.path("id").asString())) {
                failedOnce += d.path("attemptLog").size() >= 1 && d.path("status").asString().equals("pending") ? 1 : 0;
            }
            return failedOnce;
        }, equalTo(8));
        Receiver back = new Receiver(port);
        try {
            Platform.await("8 events after the receiver came back", Duration.ofSeconds(60))
                    .until(() -> back.at("/down").size(), greaterThanOrEqualTo(8));
            Platform.await("no event delivered twice", Duration.ofSeconds(3)).during(Duration.ofSeconds(1))
                    .until(() -> back.at("/down").size(), equalTo(8));
            List<Receiver.Got> got = back.at("/down");
            assertThat(got.stream().map(Receiver.Got::webhookId)).doesNotHaveDuplicates();
            assertThat(verify(endpoint.path("secret").asString(), got)).allMatch(v -> v.path("ok").asBoolean());
            System.out.printf("[webhooks-e2e] receiver down then up: %d events, %d distinct webhook-ids%n", got.size(),
                    got.stream().map(Receiver.Got::webhookId).distinct().count());
        } finally {
            back.stop();
        }
    }

    /** kill -9 of notification-service between a failed attempt and its retry; the retry happens after restart. */
    @Test
    @Order(4)
    void aDeliveryMidRetryCompletesAfterTheServiceIsKilledAndRestarted() throws Exception {
        Tenant t = signup("crash");
        receiver.statusByPath.put("/crash", n -> n == 1 ? 500 : 200);
        JsonNode endpoint = createEndpoint(t, receiver.url("/crash"), "[\"api_key.created\"]");
        String endpointId = endpoint.path("id").asString();
        createApiKey(t);
        Platform.await("first attempt recorded as failed", Duration.ofSeconds(30)).until(() -> {
            JsonNode items = deliveries(t, endpointId);
            return items.size() == 1 && items.get(0).path("attemptLog").size() == 1
                    && items.get(0).path("status").asString().equals("pending");
        });
        Path pidFile = Platform.home().resolve("pids/notification.pid");
        long pid = Long.parseLong(Files.readString(pidFile).trim());
        Instant killedAt = Instant.now();
        assertThat(new ProcessBuilder("kill", "-9", Long.toString(pid)).start().waitFor()).isZero();
        Platform.await("notification-service gone", Duration.ofSeconds(10))
                .until(() -> ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), equalTo(false));
        assertThat(receiver.at("/crash")).hasSize(1);

        assertThat(Platform.chainmesh("up", Duration.ofMinutes(4))).as("restart with bin/chainmesh up").isZero();
        Platform.await("retry after restart", Duration.ofSeconds(60))
                .until(() -> receiver.at("/crash").size(), greaterThanOrEqualTo(2));
        List<Receiver.Got> got = receiver.at("/crash");
        assertThat(got.get(1).webhookId()).isEqualTo(got.get(0).webhookId());
        assertThat(verify(endpoint.path("secret").asString(), got)).allMatch(v -> v.path("ok").asBoolean());
        Platform.await("delivery succeeded", Duration.ofSeconds(10))
                .until(() -> deliveries(t, endpointId).get(0).path("status").asString(), equalTo("succeeded"));
        Platform.await("no third attempt", Duration.ofSeconds(3)).during(Duration.ofSeconds(1))
                .until(() -> receiver.at("/crash").size(), equalTo(2));
        System.out.printf("[webhooks-e2e] kill -9 mid-retry: delivered %s after restart (killed at %s)%n",
                got.get(1).at(), killedAt);
    }

    /**
     * A contract event from a real anvil node: node, wallet (anvil's funded dev key), ERC-20 deploy, subscription,
     * transfer; the Transfer event reaches the receiver as {@code contract.event}.
     */
    @Test
    @Order(5)
    void aContractEventFromARealAnvilNodeReachesTheReceiverSigned() throws Exception {
        Tenant t = signup("chain");
        Path artifact = Platform.root().resolve("contract-service/src/test/resources/contracts/ChainmeshToken.hardhat.json");

        JsonNode endpoint = createEndpoint(t, receiver.url("/contract"), "[\"contract.event\"]");
        Response node = gateway("POST", "/v1/nodes", "{\"name\":\"e2e-hooks\",\"network\":\"anvil\"}", t.bearer());
        assertThat(node.status()).as(node.body()).isEqualTo(202);
        String nodeId = node.json().path("id").asString();
        Platform.await("node RUNNING", Duration.ofSeconds(90)).until(() -> gateway("GET", "/v1/nodes/" + nodeId, null,
                t.bearer()).json().path("status").asString(), equalTo("RUNNING"));
        // anvil's first dev account, funded on every anvil chain
        Response wallet = gateway("POST", "/v1/wallets", "{\"name\":\"dev0\",\"privateKey\":"
                + "\"0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80\"}", t.bearer());
        assertThat(wallet.status()).as(wallet.body()).isEqualTo(201);
        String walletId = wallet.json().path("id").asString();
        Response contract = gateway("POST", "/v1/contracts", "{\"name\":\"token\",\"artifact\":"
                + Files.readString(artifact) + "}", t.bearer());
        assertThat(contract.status()).as(contract.body()).isEqualTo(201);
        Response deploy = gateway("POST", "/v1/contracts/" + contract.json().path("id").asString()
                + "/deploy?confirm=true", "{\"nodeId\":\"" + nodeId + "\",\"walletId\":\"" + walletId
                + "\",\"args\":[\"Hook\",\"HK\",\"1000000\"]}", t.bearer());
        assertThat(deploy.status()).as(deploy.body()).isEqualTo(200);
        String instanceId = deploy.json().path("instance").path("id").asString();
        Response sub = gateway("POST", "/v1/subscriptions", "{\"instanceId\":\"" + instanceId
                + "\",\"event\":\"Transfer\"}", t.bearer());
        assertThat(sub.status()).as(sub.body()).isEqualTo(201);
        Response send = gateway("POST", "/v1/instances/" + instanceId + "/send/transfer", "{\"walletId\":\"" + walletId
                + "\",\"args\":[\"0x70997970C51812dc3A010C7d01b50e0d17dc79C8\",\"42\"]}", t.bearer());
        assertThat(send.status()).as(send.body()).isEqualTo(202);

        Platform.await("contract.event webhook", Duration.ofSeconds(60))
                .until(() -> receiver.at("/contract").size(), greaterThanOrEqualTo(1));
        Receiver.Got got = receiver.at("/contract").get(0);
        JsonNode body = JSON.readTree(got.body());
        assertThat(body.path("type").asString()).isEqualTo("contract.event");
        assertThat(body.path("data").path("event").asString()).isEqualTo("Transfer");
        assertThat(verify(endpoint.path("secret").asString(), List.of(got)).get(0).path("ok").asBoolean()).isTrue();
        System.out.printf("[webhooks-e2e] contract event delivered and verified: %s%n", body.path("data"));
    }
}
