package io.chainmesh.common.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.web.servlet.MockMvc;

import com.jayway.jsonpath.JsonPath;

import io.chainmesh.common.identity.Identity;
import io.chainmesh.common.identity.IdentityTokenCodec;

/**
 * What every servlet service must show, written once: it starts on real PostgreSQL and Redis, serves probes,
 * scrape and OpenAPI without a token, has the outbox migrated, and enforces the identity wall with problem
 * details. A service's integration test implements this interface on top of its shared test base.
 */
public interface PlatformFoundationChecks {

    MockMvc foundationMvc();

    JdbcClient foundationJdbc();

    /** A valid gateway-signed identity token for a tenant of this service's test context. */
    String foundationToken(UUID tenantId);

    @Test
    default void readinessIsUpWithoutAToken() throws Exception {
        foundationMvc().perform(get("/actuator/health/readiness"))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.status").value("UP"));
    }

    @Test
    default void prometheusAndOpenApiAreServedWithoutAToken() throws Exception {
        foundationMvc().perform(get("/actuator/prometheus")).andExpect(status().isOk());
        foundationMvc().perform(get("/v3/api-docs")).andExpect(status().isOk())
                .andExpect(jsonPath("$.openapi").exists());
    }

    /**
     * The {@link Identity} argument of controller methods comes from the verified token, not from the client; the
     * OpenAPI document must not offer it as a parameter (springdoc would show a query parameter {@code identity}).
     */
    @Test
    default void theOpenApiDocumentHasNoIdentityParameter() throws Exception {
        String document = foundationMvc().perform(get("/v3/api-docs")).andExpect(status().isOk())
                .andReturn().getResponse().getContentAsString();
        List<String> parameterNames = JsonPath.read(document, "$..parameters[*].name");
        assertThat(parameterNames).as("parameters documented at all (the check would be vacuous otherwise)").isNotEmpty();
        assertThat(parameterNames).doesNotContain("identity");
    }

    @Test
    default void theOutboxTableIsMigrated() {
        List<String> columns = foundationJdbc().sql("SELECT column_name FROM information_schema.columns "
                + "WHERE table_schema = current_schema() AND table_name = 'outbox'").query(String.class).list();
        assertThat(columns).containsExactlyInAnyOrder("seq", "event_id", "stream", "envelope", "created_at",
                "published_at");
    }

    @Test
    default void aRequestWithoutIdentityIsRejectedWith401() throws Exception {
        foundationMvc().perform(get("/v1/anything"))
                .andExpect(status().isUnauthorized())
                .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.code").value("identity_required"));
    }

    @Test
    default void aTokenSignedWithAnotherSecretIsRejectedWith401() throws Exception {
        IdentityTokenCodec forger = new IdentityTokenCodec("not-the-platform-secret-but-long-enough-0123456789",
                Duration.ofMinutes(1), Clock.systemUTC());
        String forged = forger.sign(new Identity(UUID.randomUUID(), "user:mallory", Set.of("admin"), "free", null));
        foundationMvc().perform(get("/v1/anything").header(Identity.HEADER, forged))
                .andExpect(status().isUnauthorized())
                .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.code").value("identity_invalid"));
    }

    @Test
    default void aValidTokenOnAnUnknownPathGets404Problem() throws Exception {
        String token = foundationToken(UUID.randomUUID());
        foundationMvc().perform(get("/v1/no-such-resource").header(Identity.HEADER, token))
                .andExpect(status().isNotFound())
                .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.code").value("not_found"));
        foundationMvc().perform(post("/v1/no-such-resource").header(Identity.HEADER, token)
                        .contentType(MediaType.APPLICATION_JSON).content("{}"))
                .andExpect(status().isNotFound())
                .andExpect(jsonPath("$.code").value("not_found"));
    }
}
