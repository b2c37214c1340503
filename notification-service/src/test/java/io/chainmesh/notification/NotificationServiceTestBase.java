package io.chainmesh.notification;

import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.Callable;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.MockMvc;

import static org.awaitility.Awaitility.await;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import org.springframework.http.MediaType;

import io.chainmesh.common.identity.Identity;
import io.chainmesh.common.identity.IdentityTokenCodec;
import io.chainmesh.testing.IdentityTokens;
import io.chainmesh.testing.TenantServiceStandIn;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The one Spring context of notification-service's integration tests: every subclass inherits exactly this configuration,
 * so the context cache starts it once. Runs against the local PostgreSQL (database
 * {@code chainmesh_test_notification}, created on first start) and Redis. The intake reads test-only stream names, so
 * the tests never take events from a notification-service running on the same Redis. The retry schedule is shrunk to
 * fractions of a second; private targets are refused except 127.0.0.1 (the test receivers), so SSRF tests see the
 * production default. The outbox relay is off: tests read the outbox table instead of the shared tenant stream.
 */
@SpringBootTest(properties = {
        "CHAINMESH_DB_PREFIX=chainmesh_test",
        "chainmesh.notification.intake.streams=" + NotificationServiceTestBase.TX_STREAM + ","
                + NotificationServiceTestBase.TENANT_STREAM,
        "chainmesh.notification.intake.name=notification-test",
        "chainmesh.notification.intake.block=100ms",
        "chainmesh.notification.delivery.retry-schedule=0s,200ms,400ms,800ms,1600ms,3200ms",
        "chainmesh.notification.delivery.jitter=0.1",
        "chainmesh.notification.delivery.timeout=3s",
        "chainmesh.notification.delivery.lease=10s",
        "chainmesh.notification.delivery.poll-interval=50ms",
        "chainmesh.notification.targets.allow-private=false",
        "chainmesh.notification.targets.allowed-cidrs=127.0.0.1/32",
        "chainmesh.platform.outbox.enabled=false"})
@AutoConfigureMockMvc
public abstract class NotificationServiceTestBase {

    protected static final String TX_STREAM = "chainmesh.test.notification.tx";
    protected static final String TENANT_STREAM = "chainmesh.test.notification.tenant";

    @DynamicPropertySource
    static void tenantService(DynamicPropertyRegistry registry) {
        registry.add("chainmesh.notification.tenant-service.url", () -> TenantServiceStandIn.shared().url());
    }

    @Autowired
    protected MockMvc mvc;

    @Autowired
    protected IdentityTokenCodec identityCodec;

    protected static final JsonMapper JSON = JsonMapper.builder().build();

    /** Creates an endpoint through the API; returns the creation response (id, secret, ...). */
    protected JsonNode createEndpoint(UUID tenantId, String url, String... eventTypes) throws Exception {
        StringBuilder types = new StringBuilder("[");
        for (int i = 0; i < eventTypes.length; i++) {
            types.append(i == 0 ? "" : ",").append('"').append(eventTypes[i]).append('"');
        }
        types.append(']');
        String body = mvc.perform(post("/v1/webhooks").header(Identity.HEADER, tokenFor(tenantId))
                        .contentType(MediaType.APPLICATION_JSON)
                        .content("{\"url\":\"" + url + "\",\"description\":\"test\",\"eventTypes\":" + types + "}"))
                .andExpect(status().isCreated())
                .andReturn().getResponse().getContentAsString();
        return JSON.readTree(body);
    }

    protected JsonNode getJson(UUID tenantId, String path) throws Exception {
        return JSON.readTree(mvc.perform(get(path).header(Identity.HEADER, tokenFor(tenantId)))
                .andExpect(status().isOk()).andReturn().getResponse().getContentAsString());
    }

    /**
     * Asserts that {@code condition} holds and keeps holding for {@code period}: what a test checks to show that
     * nothing more arrives (a duplicate, a filtered event) within a time it would have arrived in.
     */
    protected static void holdsFor(Duration period, Callable<Boolean> condition) {
        await().during(period).atMost(period.plusSeconds(10)).until(condition);
    }

    protected String tokenFor(UUID tenantId) {
        return new IdentityTokens(identityCodec).user(tenantId, "free");
    }
}
