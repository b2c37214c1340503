package io.chainmesh.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;

import org.junit.jupiter.api.Test;

import io.chainmesh.gateway.web.GatewayProblems;

class EdgeBehaviourIntegrationTest extends GatewayIntegrationTestSupport {

    @Test
    void answersAnUnknownPathWithA404Problem() {
        HttpResponse<String> response = get("/v1/nothing-here");

        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(json(response)).containsEntry("code", GatewayProblems.NOT_FOUND).containsEntry("status", 404);
    }

    @Test
    void refusesABodyOverOneMegabyteWith413BeforeAuthenticating() {
        String body = "x".repeat(1024 * 1024 + 1);

        HttpResponse<String> response = send("POST", "/v1/wallets", body, "Content-Type", "application/json");

        assertThat(response.statusCode()).isEqualTo(413);
        assertThat(json(response)).containsEntry("code", GatewayProblems.PAYLOAD_TOO_LARGE);
    }

    @Test
    void acceptsABodyOfExactlyOneMegabyte() {
        TestKey key = newKey();
        String body = "x".repeat(1024 * 1024);

        HttpResponse<String> response = send("POST", "/v1/wallets", body, "X-API-Key", key.key(),
                "Content-Type", "application/json");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(json(response)).containsEntry("bodyBytes", 1024 * 1024);
    }

    @Test
    void aKeptAliveConnectionSurvivesRequestsRefusedBeforeTheirBodyWasRead() {
        // Refused from the in-memory key cache without any I/O: the body is still on the wire when the 403 is
        // written. Left there, it was read as the start of the next request on the connection, which then hung.
        TestKey readOnly = newKey(java.util.List.of("read"), "active", GENEROUS_LIMITS);
        assertThat(get("/v1/wallets", "X-API-Key", readOnly.key()).statusCode()).isEqualTo(200);
        java.util.Map<Integer, Integer> statuses = new java.util.TreeMap<>();
        for (int i = 0; i < 600; i++) {
            HttpResponse<String> response = i % 2 == 0 ? get("/v1/wallets", "X-API-Key", readOnly.key())
                    : send("POST", "/v1/wallets", "{\"name\":\"w" + i + "\"}", "X-API-Key", readOnly.key(),
                            "Content-Type", "application/json");
            statuses.merge(response.statusCode(), 1, Integer::sum);
        }
        assertThat(statuses).containsExactly(java.util.Map.entry(200, 300), java.util.Map.entry(403, 300));
    }

    @Test
    void aRequestRefusedAfterItsBodyWasReadIsAnsweredAtOnce() {
        // JSON-RPC bodies are read for pricing before the rate limit: the 429 must not wait for a body that was
        // already consumed.
        TestKey key = newKey(java.util.List.of("rpc"), "active", limits(0.01, 1, 1_000_000));
        String call = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"eth_blockNumber\",\"params\":[]}";
        String path = "/v1/nodes/" + java.util.UUID.randomUUID() + "/rpc";
        assertThat(send("POST", path, call, "X-API-Key", key.key()).statusCode()).isEqualTo(200);

        long start = System.nanoTime();
        HttpResponse<String> refused = send("POST", path, call, "X-API-Key", key.key());
        long millis = (System.nanoTime() - start) / 1_000_000;

        assertThat(refused.statusCode()).isEqualTo(429);
        assertThat(json(refused)).containsEntry("code", GatewayProblems.RATE_LIMITED);
        // Far below the 5 s the handler would wait for a body that never comes.
        assertThat(millis).isLessThan(3_000);
    }

    @Test
    void answersADeadUpstreamWith503Problem() {
        TestKey key = newKey();

        HttpResponse<String> response = get("/v1/webhooks", "X-API-Key", key.key());

        assertThat(response.statusCode()).isEqualTo(503);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(json(response)).containsEntry("code", GatewayProblems.UPSTREAM_UNAVAILABLE);
    }

    @Test
    void answersCorsPreflightsForConfiguredOriginsOnly() {
        HttpResponse<String> allowed = send("OPTIONS", "/v1/wallets", null, "Origin", "https://portal.example",
                "Access-Control-Request-Method", "POST", "Access-Control-Request-Headers", "x-api-key");
        HttpResponse<String> other = send("OPTIONS", "/v1/wallets", null, "Origin", "https://evil.example",
                "Access-Control-Request-Method", "POST");

        assertThat(allowed.statusCode()).isEqualTo(200);
        assertThat(allowed.headers().firstValue("Access-Control-Allow-Origin")).hasValue("https://portal.example");
        assertThat(other.statusCode()).isEqualTo(403);
        assertThat(other.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
    }

    @Test
    void servesHealthMetricsAndOpenApi() {
        HttpResponse<String> health = get("/actuator/health");
        HttpResponse<String> prometheus = get("/actuator/prometheus");
        HttpResponse<String> openApi = get("/v3/api-docs");

        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(prometheus.statusCode()).isEqualTo(200);
        assertThat(prometheus.body()).contains("chainmesh_gateway_usage_events_dropped_total");
        assertThat(openApi.statusCode()).isEqualTo(200);
        assertThat(json(openApi)).containsKey("openapi");
    }
}
