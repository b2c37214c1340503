package io.chainmesh.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;

import org.junit.jupiter.api.Test;

class EdgeBehaviourIntegrationTest extends GatewayIntegrationTestSupport {

    @Test
    void answersAnUnknownPathWithA404Problem() {
        HttpResponse<String> response = get("/v1/nothing-here");

        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(json(response)).containsEntry("code", "not_found").containsEntry("status", 404);
    }

    @Test
    void refusesABodyOverOneMegabyteWith413BeforeAuthenticating() {
        String body = "x".repeat(1024 * 1024 + 1);

        HttpResponse<String> response = send("POST", "/v1/wallets", body, "Content-Type", "application/json");

        assertThat(response.statusCode()).isEqualTo(413);
        assertThat(json(response)).containsEntry("code", "payload_too_large");
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
    void answersADeadUpstreamWith503Problem() {
        TestKey key = newKey();

        HttpResponse<String> response = get("/v1/webhooks", "X-API-Key", key.key());

        assertThat(response.statusCode()).isEqualTo(503);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(json(response)).containsEntry("code", "upstream_unavailable");
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
