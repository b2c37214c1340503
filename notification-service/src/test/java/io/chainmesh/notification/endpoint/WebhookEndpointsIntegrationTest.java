package io.chainmesh.notification.endpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.delete;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.patch;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;

import io.chainmesh.common.identity.Identity;
import io.chainmesh.notification.NotificationServiceTestBase;
import io.chainmesh.testing.TenantServiceStandIn;
import tools.jackson.databind.JsonNode;

/** The endpoints API: secrets shown once, filters, quota, the URL guard, and tenant isolation. */
class WebhookEndpointsIntegrationTest extends NotificationServiceTestBase {

    @Test
    void creatingAnEndpointShowsItsWhsecSecretOnceAndNeverAgain() throws Exception {
        UUID tenant = UUID.randomUUID();
        JsonNode created = createEndpoint(tenant, "https://example.com/hooks", "tx.*", "contract.event");
        String secret = created.path("secret").asString();
        assertThat(secret).startsWith("whsec_");
        assertThat(WebhookSecret.keyOf(secret)).hasSize(24);
        assertThat(created.path("enabled").asBoolean()).isTrue();
        String id = created.path("id").asString();

        JsonNode fetched = getJson(tenant, "/v1/webhooks/" + id);
        assertThat(fetched.has("secret")).isFalse();
        assertThat(fetched.path("eventTypes").toString()).isEqualTo("[\"tx.*\",\"contract.event\"]");
        JsonNode list = getJson(tenant, "/v1/webhooks");
        assertThat(list.path("items")).hasSize(1);
        assertThat(list.toString()).doesNotContain(secret);
    }

    @Test
    void theEndpointQuotaOfThePlanIsEnforcedWith409() throws Exception {
        UUID tenant = UUID.randomUUID();
        for (int i = 0; i < TenantServiceStandIn.FREE.maxWebhooks(); i++) {
            createEndpoint(tenant, "https://example.com/hooks/" + i);
        }
        mvc.perform(post("/v1/webhooks").header(Identity.HEADER, tokenFor(tenant))
                        .contentType(MediaType.APPLICATION_JSON).content("{\"url\":\"https://example.com/one-more\"}"))
                .andExpect(status().isConflict())
                .andExpect(jsonPath("$.code").value("webhook_limit_reached"))
                .andExpect(jsonPath("$.limit").value(TenantServiceStandIn.FREE.maxWebhooks()));
    }

    @Test
    void patchChangesFilterAndDescriptionAndDeleteRemovesTheEndpoint() throws Exception {
        UUID tenant = UUID.randomUUID();
        String id = createEndpoint(tenant, "https://example.com/hooks").path("id").asString();
        mvc.perform(patch("/v1/webhooks/" + id).header(Identity.HEADER, tokenFor(tenant))
                        .contentType(MediaType.APPLICATION_JSON)
                        .content("{\"eventTypes\":[\"node.*\"],\"description\":\"nodes only\",\"enabled\":false}"))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.eventTypes[0]").value("node.*"))
                .andExpect(jsonPath("$.description").value("nodes only"))
                .andExpect(jsonPath("$.enabled").value(false));
        mvc.perform(delete("/v1/webhooks/" + id).header(Identity.HEADER, tokenFor(tenant)))
                .andExpect(status().isNoContent());
        mvc.perform(get("/v1/webhooks/" + id).header(Identity.HEADER, tokenFor(tenant)))
                .andExpect(status().isNotFound()).andExpect(jsonPath("$.code").value("not_found"));
    }

    @Test
    void anInvalidEventTypePatternOrUnknownFieldIsA400NamingTheField() throws Exception {
        UUID tenant = UUID.randomUUID();
        mvc.perform(post("/v1/webhooks").header(Identity.HEADER, tokenFor(tenant))
                        .contentType(MediaType.APPLICATION_JSON)
                        .content("{\"url\":\"https://example.com/h\",\"eventTypes\":[\"tx.*.mined\"]}"))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.code").value("invalid_event_type"))
                .andExpect(jsonPath("$.field").value("eventTypes"));
        mvc.perform(post("/v1/webhooks").header(Identity.HEADER, tokenFor(tenant))
                        .contentType(MediaType.APPLICATION_JSON)
                        .content("{\"url\":\"https://example.com/h\",\"secret\":\"whsec_mine\"}"))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.code").value("malformed_body"));
    }

    @Test
    void rotatingTheSecretReturnsANewOneOnceAndKeepsTheOldOneForTheOverlap() throws Exception {
        UUID tenant = UUID.randomUUID();
        JsonNode created = createEndpoint(tenant, "https://example.com/hooks");
        String id = created.path("id").asString();
        String rotated = mvc.perform(post("/v1/webhooks/" + id + "/rotate-secret").header(Identity.HEADER, tokenFor(tenant))
                        .contentType(MediaType.APPLICATION_JSON).content("{\"overlapSeconds\":3600}"))
                .andExpect(status().isOk())
                .andReturn().getResponse().getContentAsString();
        JsonNode body = JSON.readTree(rotated);
        assertThat(body.path("secret").asString()).startsWith("whsec_").isNotEqualTo(created.path("secret").asString());
        assertThat(body.path("previousSecretExpiresAt").isMissingNode()).isFalse();
        assertThat(getJson(tenant, "/v1/webhooks/" + id).path("previousSecretExpiresAt").asString())
                .isEqualTo(body.path("previousSecretExpiresAt").asString());
    }

    /** Thirty URLs: address forms and schemes, each refused with 400 webhook_url_refused and the reason. */
    @Test
    void urlsTargetingInternalAddressesInAnyFormAreRefusedWithTheReason() throws Exception {
        UUID tenant = UUID.randomUUID();
        Map<String, String> refused = new java.util.LinkedHashMap<>();
        refused.put("http://127.0.0.2/", "loopback");
        refused.put("http://2130706434/", "loopback");                 // decimal 127.0.0.2
        refused.put("http://0177.0.0.2/", "loopback");                 // octal
        refused.put("http://0x7f.0x0.0x0.0x2/", "loopback");           // hex
        refused.put("http://127.2/", "loopback");                      // short form
        refused.put("http://127.0.0.2./", "loopback");                 // trailing dot
        refused.put("http://[::1]/", "loopback");
        refused.put("http://[::ffff:127.0.0.2]/", "loopback");         // IPv4-mapped IPv6
        refused.put("http://10.0.0.5/", "private");
        refused.put("http://172.16.3.4/", "private");
        refused.put("http://192.168.1.1/", "private");
        refused.put("http://[fd12:3456::1]/", "private");              // unique local
        refused.put("http://[::ffff:10.1.2.3]/", "private");
        refused.put("http://169.254.169.254/latest/meta-data/", "metadata");
        refused.put("http://0xa9fea9fe/", "metadata");                 // hex 169.254.169.254
        refused.put("http://2852039166/", "metadata");                 // decimal 169.254.169.254
        refused.put("http://[fd00:ec2::254]/", "metadata");
        refused.put("http://[::ffff:169.254.169.254]/", "metadata");
        refused.put("http://metadata.google.internal/computeMetadata/v1/", "metadata");
        refused.put("http://169.254.1.1/", "link_local");
        refused.put("http://[fe80::1]/", "link_local");
        refused.put("http://224.0.0.1/", "multicast");
        refused.put("http://[ff02::1]/", "multicast");
        refused.put("http://0.0.0.0/", "unspecified");
        refused.put("http://[::]/", "unspecified");
        refused.put("http://255.255.255.255/", "reserved");
        refused.put("ftp://example.com/", "scheme_not_allowed");
        refused.put("file:///etc/passwd", "scheme_not_allowed");
        refused.put("gopher://example.com/", "scheme_not_allowed");
        refused.put("http://user:pass@example.com/", "credentials_in_url");
        for (Map.Entry<String, String> e : refused.entrySet()) {
            String body = mvc.perform(post("/v1/webhooks").header(Identity.HEADER, tokenFor(tenant))
                            .contentType(MediaType.APPLICATION_JSON).content("{\"url\":\"" + e.getKey() + "\"}"))
                    .andExpect(status().isBadRequest())
                    .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
                    .andReturn().getResponse().getContentAsString();
            JsonNode problem = JSON.readTree(body);
            assertThat(problem.path("code").asString()).as(e.getKey()).isEqualTo("webhook_url_refused");
            assertThat(problem.path("reason").asString()).as(e.getKey()).isEqualTo(e.getValue());
            assertThat(problem.path("field").asString()).isEqualTo("url");
        }
        assertThat(getJson(tenant, "/v1/webhooks").path("items")).isEmpty();
    }

    @Test
    void anotherTenantGets404ForEveryEndpointOperation() throws Exception {
        UUID owner = UUID.randomUUID();
        UUID other = UUID.randomUUID();
        String id = createEndpoint(owner, "https://example.com/hooks").path("id").asString();
        String token = tokenFor(other);
        for (var request : List.of(get("/v1/webhooks/" + id), delete("/v1/webhooks/" + id),
                get("/v1/webhooks/" + id + "/deliveries"), post("/v1/webhooks/" + id + "/test"),
                post("/v1/webhooks/" + id + "/rotate-secret"))) {
            mvc.perform(request.header(Identity.HEADER, token))
                    .andExpect(status().isNotFound()).andExpect(jsonPath("$.code").value("not_found"));
        }
        mvc.perform(patch("/v1/webhooks/" + id).header(Identity.HEADER, token)
                        .contentType(MediaType.APPLICATION_JSON).content("{\"enabled\":false}"))
                .andExpect(status().isNotFound());
        assertThat(getJson(other, "/v1/webhooks").path("items")).isEmpty();
        assertThat(getJson(owner, "/v1/webhooks/" + id).path("enabled").asBoolean()).isTrue();
    }

    @Test
    void requestsWithoutIdentityAre401AndReadOnlyKeysCannotWrite() throws Exception {
        mvc.perform(get("/v1/webhooks")).andExpect(status().isUnauthorized());
        String readOnly = identityCodec.sign(new Identity(UUID.randomUUID(), "key:x", Set.of("read"), "free", null));
        mvc.perform(post("/v1/webhooks").header(Identity.HEADER, readOnly)
                        .contentType(MediaType.APPLICATION_JSON).content("{\"url\":\"https://example.com/h\"}"))
                .andExpect(status().isForbidden());
    }
}
