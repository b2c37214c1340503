package io.chainmesh.notification.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.simple.JdbcClient;

import io.chainmesh.common.crypto.EnvelopeCipher;
import io.chainmesh.common.events.EventCodec;
import io.chainmesh.common.events.EventEnvelope;
import io.chainmesh.common.events.EventPublisher;
import io.chainmesh.common.identity.Identity;
import io.chainmesh.notification.NotificationServiceTestBase;
import io.chainmesh.notification.endpoint.SigningSecretCipher;
import io.chainmesh.notification.support.StandardWebhooksVerifier;
import io.chainmesh.notification.support.TestEvents;
import io.chainmesh.notification.support.TestReceiver;
import io.chainmesh.notification.support.TestReceiver.Received;
import io.chainmesh.notification.support.TestReceiver.Reply;
import tools.jackson.databind.JsonNode;

/**
 * Events published on the streams reach real HTTP receivers, signed (verified by the standardwebhooks npm package),
 * with retries, Retry-After, 410, auto-disable, replay, rotation and the connect-time SSRF check.
 */
class WebhookDeliveryIntegrationTest extends NotificationServiceTestBase {

    private static TestReceiver receiver;

    @Autowired
    EventPublisher publisher;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    SigningSecretCipher secrets;

    @BeforeAll
    static void startReceiver() throws Exception {
        receiver = new TestReceiver();
    }

    @AfterAll
    static void stopReceiver() {
        receiver.close();
    }

    static String path() {
        return "/hooks/" + UUID.randomUUID();
    }

    JsonNode deliveries(UUID tenant, String endpointId, String query) throws Exception {
        return getJson(tenant, "/v1/webhooks/" + endpointId + "/deliveries" + query).path("items");
    }

    @Test
    void aMatchingEventReachesTheReceiverSignedAndStandardWebhooksVerifiesIt() throws Exception {
        UUID tenant = UUID.randomUUID();
        String path = path();
        JsonNode endpoint = createEndpoint(tenant, receiver.url(path), "tx.*");
        EventEnvelope confirmed = TestEvents.transaction(tenant, "CONFIRMED");
        publisher.publish(TX_STREAM, TestEvents.node(tenant, "RUNNING"));
        publisher.publish(TX_STREAM, TestEvents.transaction(UUID.randomUUID(), "MINED")); // another tenant's
        publisher.publish(TX_STREAM, confirmed);

        await().atMost(Duration.ofSeconds(10)).until(() -> receiver.at(path).size() == 1);
        Received r = receiver.at(path).get(0);
        assertThat(r.webhookId()).isEqualTo(confirmed.id());
        assertThat(r.headers().get("content-type")).startsWith("application/json");
        JsonNode body = JSON.readTree(r.body());
        assertThat(body.path("type").asString()).isEqualTo("tx.confirmed");
        assertThat(body.path("tenantId").asString()).isEqualTo(tenant.toString());
        assertThat(body.path("data").path("nonce").asInt()).isEqualTo(7);

        List<StandardWebhooksVerifier.Result> verified = StandardWebhooksVerifier.verify(
                endpoint.path("secret").asString(), List.of(r));
        assertThat(verified).singleElement().satisfies(v -> {
            assertThat(v.ok()).as(v.error()).isTrue();
            assertThat(v.eventId()).isEqualTo(confirmed.id());
        });
        assertThat(StandardWebhooksVerifier.verify("whsec_" + "QUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFB", List.of(r)).get(0).ok())
                .as("another secret does not verify").isFalse();
        // the non-matching and the foreign event are not delivered
        holdsFor(Duration.ofMillis(300), () -> receiver.at(path).size() == 1);
    }

    @Test
    void aReceiverFailingThreeTimesGetsTheSameWebhookIdUntilItSucceedsAndTheLogShowsEveryAttempt() throws Exception {
        UUID tenant = UUID.randomUUID();
        String path = path();
        receiver.behave(path, n -> n <= 3 ? new Reply(500, null, "x".repeat(5000)) : Reply.status(200));
        JsonNode endpoint = createEndpoint(tenant, receiver.url(path));
        EventEnvelope event = TestEvents.transaction(tenant, "MINED");
        publisher.publish(TX_STREAM, event);

        await().atMost(Duration.ofSeconds(10)).until(() -> receiver.at(path).size() == 4);
        assertThat(receiver.at(path)).extracting(Received::webhookId).containsOnly(event.id());
        assertThat(StandardWebhooksVerifier.verify(endpoint.path("secret").asString(), receiver.at(path)))
                .allMatch(StandardWebhooksVerifier.Result::ok);

        String id = endpoint.path("id").asString();
        await().atMost(Duration.ofSeconds(5)).until(() -> deliveries(tenant, id, "?status=succeeded").size() == 1);
        JsonNode delivery = deliveries(tenant, id, "?status=succeeded").get(0);
        assertThat(delivery.path("webhookId").asString()).isEqualTo(event.id());
        assertThat(delivery.path("attempts").asInt()).isEqualTo(4);
        JsonNode log = delivery.path("attemptLog");
        assertThat(log).hasSize(4);
        assertThat(log.get(0).path("statusCode").asInt()).isEqualTo(500);
        assertThat(log.get(0).path("responseBody").asString()).hasSize(1024);
        assertThat(log.get(0).path("latencyMs").isNumber()).isTrue();
        assertThat(log.get(3).path("statusCode").asInt()).isEqualTo(200);
        assertThat(deliveries(tenant, id, "?status=failed")).isEmpty();
        assertThat(getJson(tenant, "/v1/webhooks/" + id).has("failingSince")).as("a success clears it").isFalse();
    }

    /** PostgreSQL text cannot hold NUL: kept as is, the attempt could not be logged and would be re-sent forever. */
    @Test
    void aResponseBodyWithANulCharacterIsLoggedWithoutItAndTheDeliveryGoesOn() throws Exception {
        UUID tenant = UUID.randomUUID();
        String path = path();
        receiver.behave(path, n -> n == 1 ? new Reply(500, null, "bad\u0000byte") : Reply.status(200));
        String id = createEndpoint(tenant, receiver.url(path)).path("id").asString();
        publisher.publish(TX_STREAM, TestEvents.transaction(tenant, "MINED"));

        await().atMost(Duration.ofSeconds(5)).until(() -> deliveries(tenant, id, "?status=succeeded").size() == 1);
        assertThat(receiver.at(path)).hasSize(2);
        JsonNode log = deliveries(tenant, id, "").get(0).path("attemptLog");
        assertThat(log).hasSize(2);
        assertThat(log.get(0).path("responseBody").asString()).isEqualTo("bad\uFFFDbyte");
    }

    @Test
    void a429WithRetryAfterDelaysTheNextAttemptAtLeastThatLong() throws Exception {
        UUID tenant = UUID.randomUUID();
        String path = path();
        receiver.behave(path, n -> n == 1 ? new Reply(429, "2", "slow down") : Reply.status(200));
        createEndpoint(tenant, receiver.url(path));
        publisher.publish(TX_STREAM, TestEvents.transaction(tenant, "PENDING"));

        await().atMost(Duration.ofSeconds(10)).until(() -> receiver.at(path).size() == 2);
        List<Received> got = receiver.at(path);
        Duration gap = Duration.between(got.get(0).at(), got.get(1).at());
        assertThat(gap).as("schedule says 200 ms, Retry-After says 2 s").isGreaterThanOrEqualTo(Duration.ofMillis(1900));
        assertThat(got.get(1).webhookId()).isEqualTo(got.get(0).webhookId());
    }

    @Test
    void a410DisablesTheEndpointNotifiesTheTenantAndStopsFurtherDeliveries() throws Exception {
        UUID tenant = UUID.randomUUID();
        String path = path();
        receiver.behave(path, n -> Reply.status(410));
        String id = createEndpoint(tenant, receiver.url(path)).path("id").asString();
        publisher.publish(TX_STREAM, TestEvents.transaction(tenant, "FAILED"));

        await().atMost(Duration.ofSeconds(10)).until(() -> !getJson(tenant, "/v1/webhooks/" + id).path("enabled").asBoolean());
        assertThat(receiver.at(path)).hasSize(1);
        assertThat(getJson(tenant, "/v1/webhooks/" + id).path("disabledReason").asString()).isEqualTo("gone");
        assertThat(deliveries(tenant, id, "?status=failed")).hasSize(1);
        assertThat(noticesFor(tenant)).singleElement().asString().contains("\"reason\":\"gone\"").contains(id);
        Map<String, Object> notice = new LinkedHashMap<>();
        notice.put("endpointId", id);
        notice.put("url", receiver.url(path));
        notice.put("reason", "gone");
        notice.put("detail", "The receiver answered 410 Gone");
        notice.put("failingSince", null);
        assertThat(EventCodec.decode(noticesFor(tenant).get(0)).data()).containsExactlyEntriesOf(notice);

        publisher.publish(TX_STREAM, TestEvents.transaction(tenant, "CONFIRMED"));
        holdsFor(Duration.ofMillis(500), () -> receiver.at(path).size() == 1 && deliveries(tenant, id, "").size() == 1);
    }

    @Test
    void anEndpointFailingForTheDisablePeriodIsDisabledAndTheTenantNotified() throws Exception {
        UUID tenant = UUID.randomUUID();
        String path = path();
        receiver.behave(path, n -> Reply.status(502));
        String id = createEndpoint(tenant, receiver.url(path)).path("id").asString();
        // As if its attempts had been failing for six days (disable-after is 5 d).
        jdbc.sql("UPDATE webhook_endpoints SET failing_since = :t WHERE id = :id")
                .param("t", Timestamp.from(Instant.now().minus(Duration.ofDays(6)))).param("id", UUID.fromString(id))
                .update();
        publisher.publish(TX_STREAM, TestEvents.transaction(tenant, "MINED"));

        await().atMost(Duration.ofSeconds(10)).until(() -> !noticesFor(tenant).isEmpty());
        JsonNode view = getJson(tenant, "/v1/webhooks/" + id);
        assertThat(view.path("enabled").asBoolean()).isFalse();
        assertThat(view.path("disabledReason").asString()).isEqualTo("failing");
        assertThat(noticesFor(tenant).get(0)).contains("webhook.endpoint_disabled", "\"reason\":\"failing\"");
        // an ISO-8601 instant, the six days ago the test set
        Object failingSince = EventCodec.decode(noticesFor(tenant).get(0)).data().get("failingSince");
        assertThat(Instant.parse((String) failingSince)).isBefore(Instant.now().minus(Duration.ofDays(5)));
    }

    @Test
    void aReceiverDownForAWhileGetsEveryEventOnceWhenItComesBack() throws Exception {
        UUID tenant = UUID.randomUUID();
        int port;
        try (TestReceiver probe = new TestReceiver()) {
            port = probe.port(); // now closed: connections are refused
        }
        JsonNode endpoint = createEndpoint(tenant, "http://127.0.0.1:" + port + "/down");
        Set<String> published = new HashSet<>();
        for (int i = 0; i < 40; i++) {
            EventEnvelope e = TestEvents.transaction(tenant, "CONFIRMED");
            published.add(e.id());
            publisher.publish(TX_STREAM, e);
        }
        // Down until every one of the 40 deliveries has met the closed port at least once.
        await().atMost(Duration.ofSeconds(20)).until(() -> {
            JsonNode pending = deliveries(tenant, endpoint.path("id").asString(), "?status=pending&limit=200");
            int failedOnce = 0;
            for (JsonNode d : pending) {
                failedOnce += d.path("attemptLog").size() >= 1 ? 1 : 0;
            }
            return failedOnce == 40;
        });
        try (TestReceiver back = new TestReceiver(port)) {
            await().atMost(Duration.ofSeconds(15)).until(() -> back.at("/down").size() >= 40);
            holdsFor(Duration.ofMillis(500), () -> back.at("/down").size() == 40);
            List<Received> got = back.at("/down");
            assertThat(got).extracting(Received::webhookId).doesNotHaveDuplicates()
                    .containsExactlyInAnyOrderElementsOf(published);
            assertThat(StandardWebhooksVerifier.verify(endpoint.path("secret").asString(), got))
                    .allMatch(StandardWebhooksVerifier.Result::ok);
        }
        JsonNode log = deliveries(tenant, endpoint.path("id").asString(), "?status=succeeded&limit=200");
        assertThat(log).hasSize(40);
        assertThat(log.get(0).path("attemptLog").get(0).path("error").asString()).contains("refused");
    }

    @Test
    void anEventReadTwiceFromTheStreamIsDeliveredOnce() throws Exception {
        UUID tenant = UUID.randomUUID();
        String path = path();
        String id = createEndpoint(tenant, receiver.url(path)).path("id").asString();
        EventEnvelope event = TestEvents.transaction(tenant, "REPLACED");
        publisher.publish(TX_STREAM, event);
        publisher.publish(TX_STREAM, event); // at-least-once producers may do this (outbox relay crash)
        await().atMost(Duration.ofSeconds(10)).until(() -> receiver.at(path).size() == 1);
        holdsFor(Duration.ofMillis(500), () -> receiver.at(path).size() == 1);
        assertThat(deliveries(tenant, id, "")).hasSize(1);
    }

    @Test
    void aReplayResendsWithTheSameWebhookIdAndAnotherTenantCanNeitherSeeNorReplayIt() throws Exception {
        UUID tenant = UUID.randomUUID();
        UUID other = UUID.randomUUID();
        String path = path();
        String id = createEndpoint(tenant, receiver.url(path)).path("id").asString();
        EventEnvelope event = TestEvents.transaction(tenant, "CONFIRMED");
        publisher.publish(TX_STREAM, event);
        await().atMost(Duration.ofSeconds(10)).until(() -> receiver.at(path).size() == 1);
        await().atMost(Duration.ofSeconds(5)).until(() -> deliveries(tenant, id, "?status=succeeded").size() == 1);
        String deliveryId = deliveries(tenant, id, "").get(0).path("id").asString();

        mvc.perform(post("/v1/deliveries/" + deliveryId + "/retry").header(Identity.HEADER, tokenFor(other)))
                .andExpect(status().isNotFound()).andExpect(jsonPath("$.code").value("not_found"));
        mvc.perform(get("/v1/deliveries/" + deliveryId).header(Identity.HEADER, tokenFor(other)))
                .andExpect(status().isNotFound());
        mvc.perform(get("/v1/webhooks/" + id + "/deliveries").header(Identity.HEADER, tokenFor(other)))
                .andExpect(status().isNotFound());
        holdsFor(Duration.ofMillis(200), () -> receiver.at(path).size() == 1);

        mvc.perform(post("/v1/deliveries/" + deliveryId + "/retry").header(Identity.HEADER, tokenFor(tenant)))
                .andExpect(status().isAccepted()).andExpect(jsonPath("$.webhookId").value(event.id()));
        await().atMost(Duration.ofSeconds(10)).until(() -> receiver.at(path).size() == 2);
        assertThat(receiver.at(path).get(1).webhookId()).isEqualTo(event.id());
    }

    @Test
    void theTestEndpointSendsAWebhookTestEventToThatEndpoint() throws Exception {
        UUID tenant = UUID.randomUUID();
        String path = path();
        JsonNode endpoint = createEndpoint(tenant, receiver.url(path), "contract.event");
        mvc.perform(post("/v1/webhooks/" + endpoint.path("id").asString() + "/test")
                        .header(Identity.HEADER, tokenFor(tenant)))
                .andExpect(status().isAccepted())
                .andExpect(jsonPath("$.eventType").value("webhook.test"));
        await().atMost(Duration.ofSeconds(10)).until(() -> receiver.at(path).size() == 1);
        JsonNode body = JSON.readTree(receiver.at(path).get(0).body());
        assertThat(body.path("type").asString()).isEqualTo("webhook.test");
        assertThat(body.path("data").propertyNames()).containsExactly("endpointId", "message");
        assertThat(body.path("data").path("endpointId").asString()).isEqualTo(endpoint.path("id").asString());
        assertThat(body.path("data").path("message").asString()).isEqualTo("Test message from Chainmesh");
        assertThat(StandardWebhooksVerifier.verify(endpoint.path("secret").asString(), receiver.at(path)).get(0).ok())
                .isTrue();
    }

    @Test
    void duringARotationOverlapBothSecretsVerifyAndAfterItOnlyTheNewOne() throws Exception {
        UUID tenant = UUID.randomUUID();
        String path = path();
        JsonNode endpoint = createEndpoint(tenant, receiver.url(path));
        String id = endpoint.path("id").asString();
        String oldSecret = endpoint.path("secret").asString();
        String newSecret = rotate(tenant, id, 3600);

        publisher.publish(TX_STREAM, TestEvents.transaction(tenant, "CONFIRMED"));
        await().atMost(Duration.ofSeconds(10)).until(() -> receiver.at(path).size() == 1);
        Received during = receiver.at(path).get(0);
        assertThat(during.headers().get("webhook-signature").split(" ")).hasSize(2);
        assertThat(StandardWebhooksVerifier.verify(newSecret, List.of(during)).get(0).ok()).isTrue();
        assertThat(StandardWebhooksVerifier.verify(oldSecret, List.of(during)).get(0).ok()).isTrue();

        String newest = rotate(tenant, id, 0);
        publisher.publish(TX_STREAM, TestEvents.transaction(tenant, "CONFIRMED"));
        await().atMost(Duration.ofSeconds(10)).until(() -> receiver.at(path).size() == 2);
        Received after = receiver.at(path).get(1);
        assertThat(StandardWebhooksVerifier.verify(newest, List.of(after)).get(0).ok()).isTrue();
        assertThat(StandardWebhooksVerifier.verify(newSecret, List.of(after)).get(0).ok()).isFalse();
    }

    /**
     * A stored URL whose host now points at a refused address (what DNS rebinding achieves) is refused when the
     * connection is made, not only when the URL was saved.
     */
    @Test
    void theGuardChecksTheAddressAtConnectTimeNotOnlyWhenTheUrlWasSaved() throws Exception {
        UUID tenant = UUID.randomUUID();
        UUID id = UUID.randomUUID();
        EnvelopeCipher.Sealed secret = secrets.seal(tenant, id, "whsec_QUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFB");
        jdbc.sql("""
                INSERT INTO webhook_endpoints (id, tenant_id, url, secret_key_id, sealed_secret, created_at, updated_at)
                VALUES (:id, :tenant, :url, :keyId, :sealed, now(), now())""")
                .param("id", id).param("tenant", tenant).param("keyId", secret.keyId()).param("sealed", secret.bytes())
                .param("url", "http://127.0.0.2:" + receiver.port() + "/rebound").update();
        publisher.publish(TX_STREAM, TestEvents.transaction(tenant, "CONFIRMED"));
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            JsonNode items = deliveries(tenant, id.toString(), "");
            return items.size() == 1 && items.get(0).path("attemptLog").size() >= 1;
        });
        JsonNode attempt = deliveries(tenant, id.toString(), "").get(0).path("attemptLog").get(0);
        assertThat(attempt.path("error").asString()).contains("target refused (loopback)");
        assertThat(attempt.has("statusCode")).isFalse();
        assertThat(receiver.at("/rebound")).isEmpty();
    }

    private String rotate(UUID tenant, String id, long overlapSeconds) throws Exception {
        return JSON.readTree(mvc.perform(post("/v1/webhooks/" + id + "/rotate-secret")
                        .header(Identity.HEADER, tokenFor(tenant)).contentType(MediaType.APPLICATION_JSON)
                        .content("{\"overlapSeconds\":" + overlapSeconds + "}"))
                .andExpect(status().isOk()).andReturn().getResponse().getContentAsString()).path("secret").asString();
    }

    private List<String> noticesFor(UUID tenant) {
        return jdbc.sql("SELECT envelope FROM outbox WHERE stream = 'chainmesh.tenant' AND envelope LIKE :t")
                .param("t", "%" + tenant + "%").query(String.class).list();
    }
}
