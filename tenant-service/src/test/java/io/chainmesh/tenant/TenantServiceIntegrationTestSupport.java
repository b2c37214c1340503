package io.chainmesh.tenant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.boot.webmvc.test.autoconfigure.MockMvcPrint;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;

import io.chainmesh.common.events.EventCodec;
import io.chainmesh.common.events.EventEnvelope;
import io.chainmesh.common.identity.Identity;
import io.chainmesh.common.identity.IdentityTokenCodec;
import io.chainmesh.testing.IdentityTokens;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The one Spring context every {@code *IntegrationTest} shares (same annotations and properties, so the
 * context cache reuses it), against the real local PostgreSQL ({@code chainmesh_test_tenant}) and Redis.
 * Tests create their own tenants with random emails, so they neither collide nor need cleaning up.
 */
@SpringBootTest(properties = {
        "CHAINMESH_DB_PREFIX=chainmesh_test",
        // hashing cost is not under test here; the default strength would make every signup take 0.25 s
        "chainmesh.tenant.passwords.bcrypt-strength=4",
        "chainmesh.tenant.operator.email=" + TenantServiceIntegrationTestSupport.OPERATOR_EMAIL,
        "chainmesh.tenant.operator.password=" + TenantServiceIntegrationTestSupport.OPERATOR_PASSWORD,
        "chainmesh.platform.outbox.poll-interval=100ms"})
// print nothing: printed requests would put identity tokens and passwords into the build log
@AutoConfigureMockMvc(print = MockMvcPrint.NONE)
public abstract class TenantServiceIntegrationTestSupport {

    protected static final String OPERATOR_EMAIL = "operator@chainmesh.test";
    protected static final String OPERATOR_PASSWORD = "operator-test-password-1";
    protected static final String PASSWORD = "correct-horse-battery";
    protected static final Set<String> OWNER_SCOPES = Set.of("read", "write", "rpc", "keys");

    protected static final JsonMapper JSON = JsonMapper.builder().build();

    @Autowired
    protected MockMvc mvc;
    @Autowired
    protected IdentityTokenCodec codec;
    @Autowired
    protected JdbcClient jdbc;
    @Autowired
    protected StringRedisTemplate redis;

    /** A tenant created through the public signup, with its owner's credentials. */
    protected record SignedUp(UUID tenantId, UUID ownerId, String email, String password) {
    }

    protected static String uniqueEmail() {
        return "user-" + UUID.randomUUID() + "@example.com";
    }

    protected SignedUp signUp() throws Exception {
        String email = uniqueEmail();
        String body = mvc.perform(post("/v1/signup").header(Identity.HEADER, anonymousToken())
                        .contentType(MediaType.APPLICATION_JSON)
                        .content(json(Map.of("tenantName", "Acme " + email.substring(5, 13), "email", email, "password", PASSWORD))))
                .andExpect(status().isCreated()).andReturn().getResponse().getContentAsString();
        JsonNode node = JSON.readTree(body);
        return new SignedUp(UUID.fromString(node.at("/tenant/id").asString()), UUID.fromString(node.at("/owner/id").asString()),
                email, PASSWORD);
    }

    protected String anonymousToken() {
        return codec.sign(Identity.anonymous());
    }

    protected String internalToken() {
        return codec.sign(Identity.service("gateway"));
    }

    protected String tenantToken(UUID tenantId, Set<String> scopes) {
        return new IdentityTokens(codec).withScopes(tenantId, scopes);
    }

    protected String ownerToken(SignedUp tenant) {
        return codec.sign(new Identity(tenant.tenantId(), "user:" + tenant.ownerId(), OWNER_SCOPES, "free", null));
    }

    /** What the gateway mints for a logged-in operator. */
    protected String adminToken() {
        UUID platform = jdbc.sql("SELECT id FROM tenants WHERE platform").query(UUID.class).single();
        return codec.sign(new Identity(platform, "user:operator", Set.of("read", "write", "rpc", "keys", "admin"),
                "enterprise", null));
    }

    protected MockHttpServletRequestBuilder withJson(MockHttpServletRequestBuilder request, String token, Object body) {
        return request.header(Identity.HEADER, token).contentType(MediaType.APPLICATION_JSON).content(json(body));
    }

    protected static String json(Object body) {
        return body instanceof String s ? s : JSON.writeValueAsString(body);
    }

    protected static JsonNode parse(String body) {
        return JSON.readTree(body);
    }

    /** The tenant's events in its outbox, oldest first, as consumers decode them. */
    protected List<EventEnvelope> outboxOf(UUID tenantId) {
        return jdbc.sql("SELECT envelope FROM outbox WHERE envelope LIKE :match ORDER BY seq")
                .param("match", "%" + tenantId + "%").query(String.class).list().stream()
                .map(EventCodec::decode).filter(e -> tenantId.equals(e.tenantId())).toList();
    }

    /** The one event of {@code type} in the tenant's outbox. */
    protected EventEnvelope outboxEvent(UUID tenantId, String type) {
        List<EventEnvelope> found = outboxOf(tenantId).stream().filter(e -> type.equals(e.type())).toList();
        assertThat(found).as("%s events of tenant %s", type, tenantId).hasSize(1);
        return found.get(0);
    }
}
