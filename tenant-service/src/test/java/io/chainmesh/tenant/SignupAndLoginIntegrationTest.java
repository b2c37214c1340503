package io.chainmesh.tenant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.time.Instant;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.SignedJWT;

import io.chainmesh.common.identity.Identity;

class SignupAndLoginIntegrationTest extends TenantServiceIntegrationTestSupport {

    @Test
    void signupCreatesAnActiveFreeTenantWithItsOwner() throws Exception {
        String email = uniqueEmail();
        mvc.perform(withJson(post("/v1/signup"), anonymousToken(),
                        Map.of("tenantName", "Acme Labs", "email", email.toUpperCase(), "password", PASSWORD)))
                .andExpect(status().isCreated())
                .andExpect(jsonPath("$.tenant.id").isString())
                .andExpect(jsonPath("$.tenant.name").value("Acme Labs"))
                .andExpect(jsonPath("$.tenant.plan").value("free"))
                .andExpect(jsonPath("$.tenant.status").value("active"))
                .andExpect(jsonPath("$.tenant.createdAt").isString())
                .andExpect(jsonPath("$.owner.email").value(email))
                .andExpect(jsonPath("$.owner.role").value("owner"))
                .andExpect(jsonPath("$.owner.password").doesNotExist())
                .andExpect(jsonPath("$.owner.passwordHash").doesNotExist());

        String stored = jdbc.sql("SELECT password_hash FROM users WHERE email = :email").param("email", email)
                .query(String.class).single();
        assertThat(stored).startsWith("$2").doesNotContain(PASSWORD);
    }

    @Test
    void signupWithAnEmailAlreadyTakenIsAConflictWhateverItsCase() throws Exception {
        SignedUp first = signUp();
        mvc.perform(withJson(post("/v1/signup"), anonymousToken(),
                        Map.of("tenantName", "Copycat", "email", first.email().toUpperCase(), "password", PASSWORD)))
                .andExpect(status().isConflict())
                .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.code").value("email_taken"));
    }

    @Test
    void tokenIsAnRs256JwtThatVerifiesAgainstThePublishedJwks() throws Exception {
        SignedUp tenant = signUp();
        String body = mvc.perform(withJson(post("/v1/auth/token"), anonymousToken(),
                        Map.of("email", tenant.email(), "password", tenant.password())))
                .andExpect(status().isOk())
                .andExpect(header().string("Cache-Control", "no-store"))
                .andExpect(jsonPath("$.token_type").value("Bearer"))
                .andExpect(jsonPath("$.expires_in").value(3600))
                .andReturn().getResponse().getContentAsString();
        SignedJWT jwt = SignedJWT.parse(parse(body).get("access_token").asString());

        // the JWKS is an open path: fetched without any identity token
        String jwks = mvc.perform(get("/.well-known/jwks.json")).andExpect(status().isOk())
                .andReturn().getResponse().getContentAsString();
        JWKSet keys = JWKSet.parse(jwks);
        RSAKey key = (RSAKey) keys.getKeyByKeyId(jwt.getHeader().getKeyID());
        assertThat(key).isNotNull();
        assertThat(key.isPrivate()).isFalse();
        assertThat(jwt.getHeader().getAlgorithm()).isEqualTo(JWSAlgorithm.RS256);
        assertThat(jwt.verify(new RSASSAVerifier(key))).isTrue();

        var claims = jwt.getJWTClaimsSet();
        assertThat(claims.getIssuer()).isEqualTo("chainmesh");
        assertThat(claims.getAudience()).containsExactly("chainmesh-api");
        assertThat(claims.getSubject()).isEqualTo(tenant.ownerId().toString());
        assertThat(claims.getStringClaim("tid")).isEqualTo(tenant.tenantId().toString());
        assertThat(claims.getStringListClaim("scp")).containsExactlyInAnyOrder("read", "write", "rpc", "keys");
        assertThat(claims.getStringClaim("plan")).isEqualTo("free");
        assertThat(claims.getExpirationTime().toInstant()).isBetween(Instant.now().plusSeconds(3500),
                Instant.now().plusSeconds(3700));
    }

    @Test
    void wrongPasswordAndUnknownEmailGetTheSameInvalidCredentialsAnswer() throws Exception {
        SignedUp tenant = signUp();
        mvc.perform(withJson(post("/v1/auth/token"), anonymousToken(),
                        Map.of("email", tenant.email(), "password", "not-the-password")))
                .andExpect(status().isUnauthorized()).andExpect(jsonPath("$.code").value("invalid_credentials"));
        mvc.perform(withJson(post("/v1/auth/token"), anonymousToken(),
                        Map.of("email", uniqueEmail(), "password", PASSWORD)))
                .andExpect(status().isUnauthorized()).andExpect(jsonPath("$.code").value("invalid_credentials"));
    }

    @Test
    void operatorLoginCarriesTheAdminScopeInThePlatformTenant() throws Exception {
        String body = mvc.perform(withJson(post("/v1/auth/token"), anonymousToken(),
                        Map.of("email", OPERATOR_EMAIL, "password", OPERATOR_PASSWORD)))
                .andExpect(status().isOk()).andReturn().getResponse().getContentAsString();
        var claims = SignedJWT.parse(parse(body).get("access_token").asString()).getJWTClaimsSet();
        assertThat(claims.getStringListClaim("scp")).contains("admin");
        assertThat(claims.getStringClaim("plan")).isEqualTo("enterprise");
        String platform = jdbc.sql("SELECT id::text FROM tenants WHERE platform").query(String.class).single();
        assertThat(claims.getStringClaim("tid")).isEqualTo(platform);
    }

    @Test
    void invalidSignupFieldsAreRejectedNamingTheField() throws Exception {
        mvc.perform(withJson(post("/v1/signup"), anonymousToken(),
                        Map.of("tenantName", "Acme", "email", "not-an-email", "password", PASSWORD)))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.code").value("validation_failed"))
                .andExpect(jsonPath("$.detail").value(containsString("email")));
        mvc.perform(withJson(post("/v1/signup"), anonymousToken(),
                        Map.of("tenantName", "Acme", "email", uniqueEmail(), "password", "short")))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors[0].field").value("password"));
        mvc.perform(withJson(post("/v1/signup"), anonymousToken(),
                        Map.of("tenantName", "A", "email", uniqueEmail(), "password", PASSWORD)))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors[0].field").value("tenantName"));
        mvc.perform(withJson(post("/v1/signup"), anonymousToken(),
                        Map.of("tenantName", "Acme", "email", uniqueEmail(), "password", "x".repeat(129))))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors[0].field").value("password"));
    }

    @Test
    void malformedBodiesAreProblemsThatSayWhatIsWrong() throws Exception {
        mvc.perform(withJson(post("/v1/signup"), anonymousToken(), "{\"tenantName\": \"Acme\","))
                .andExpect(status().isBadRequest())
                .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.code").value("malformed_body"));
        mvc.perform(withJson(post("/v1/signup"), anonymousToken(), Map.of("tenantName", "Acme", "email", uniqueEmail(),
                        "password", PASSWORD, "plan", "enterprise")))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.code").value("malformed_body"))
                .andExpect(jsonPath("$.detail").value(containsString("plan")));
        mvc.perform(withJson(post("/v1/signup"), anonymousToken(), Map.of("tenantName", "Acme", "email", uniqueEmail(),
                        "password", Map.of("nested", true))))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.code").value("malformed_body"))
                .andExpect(jsonPath("$.detail").value(containsString("password")));
        mvc.perform(post("/v1/signup").header(Identity.HEADER, anonymousToken()).contentType(MediaType.TEXT_PLAIN)
                        .content("hello"))
                .andExpect(status().isUnsupportedMediaType())
                .andExpect(jsonPath("$.code").value("unsupported_media_type"));
    }

    @Test
    void requestWithoutIdentityTokenIsUnauthorized() throws Exception {
        mvc.perform(post("/v1/signup").contentType(MediaType.APPLICATION_JSON)
                        .content(json(Map.of("tenantName", "Acme", "email", uniqueEmail(), "password", PASSWORD))))
                .andExpect(status().isUnauthorized())
                .andExpect(jsonPath("$.code").value("identity_required"));
        mvc.perform(get("/v1/plans").header(Identity.HEADER, "not-a-token"))
                .andExpect(status().isUnauthorized())
                .andExpect(jsonPath("$.code").value("identity_invalid"));
    }

    @Test
    void planCatalogueListsTheFourPlansWithTheirLimits() throws Exception {
        mvc.perform(get("/v1/plans").header(Identity.HEADER, anonymousToken()))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.plans.length()").value(4))
                .andExpect(jsonPath("$.plans[0].id").value("free"))
                .andExpect(jsonPath("$.plans[0].requestsPerSecond").value(10))
                .andExpect(jsonPath("$.plans[0].burst").value(20))
                .andExpect(jsonPath("$.plans[0].monthlyComputeUnits").value(3_000_000))
                .andExpect(jsonPath("$.plans[1].id").value("developer"))
                .andExpect(jsonPath("$.plans[1].monthlyComputeUnits").value(50_000_000))
                .andExpect(jsonPath("$.plans[2].id").value("business"))
                .andExpect(jsonPath("$.plans[2].requestsPerSecond").value(200))
                .andExpect(jsonPath("$.plans[3].id").value("enterprise"))
                .andExpect(jsonPath("$.plans[3].monthlyComputeUnits").value(2_000_000_000L))
                .andExpect(jsonPath("$.plans[3].maxNodes").isNumber())
                .andExpect(jsonPath("$.plans[3].maxWebhooks").isNumber())
                .andExpect(jsonPath("$.plans[3].priceCentsPerMonth").isNumber());
    }
}
