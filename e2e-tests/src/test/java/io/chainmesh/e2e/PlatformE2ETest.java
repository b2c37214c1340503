package io.chainmesh.e2e;

import static io.chainmesh.e2e.Platform.fullKey;
import static io.chainmesh.e2e.Platform.gateway;
import static io.chainmesh.e2e.Platform.send;
import static io.chainmesh.e2e.Platform.signup;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

import io.chainmesh.common.apikey.ApiKeyFormat;
import io.chainmesh.common.identity.Identity;
import io.chainmesh.common.identity.IdentityTokenCodec;
import io.chainmesh.e2e.Platform.Key;
import io.chainmesh.e2e.Platform.Response;
import io.chainmesh.e2e.Platform.Tenant;
import tools.jackson.databind.JsonNode;

/**
 * The platform foundation end to end, only through the gateway: signup, token, key, tenant lookup, rate limit,
 * analytics, revocation, tenant isolation, identity-token walls, bad input, and no secret in any log.
 */
@ExtendWith(Platform.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PlatformE2ETest {

    private static final ComputeUnits PRICES = ComputeUnits.shipped();

    @Test
    @Order(1)
    void tenantSignsUpGetsATokenCreatesAKeyAndReadsItsTenantWithTheKey() {
        Tenant a = signup("acme");
        Key key = fullKey(a);

        Response byHeader = gateway("GET", "/v1/tenant", null, key.header());
        assertThat(byHeader.status()).as(byHeader.body()).isEqualTo(200);
        assertThat(byHeader.json().path("id").asString()).isEqualTo(a.id());
        assertThat(byHeader.json().path("status").asString()).isEqualToIgnoringCase("active");
        assertThat(byHeader.header("RateLimit-Limit")).isNotNull();

        Response byBearer = gateway("GET", "/v1/tenant", null, "Authorization", "Bearer " + key.key());
        assertThat(byBearer.status()).isEqualTo(200);
        assertThat(byBearer.json().path("id").asString()).isEqualTo(a.id());

        Response list = gateway("GET", "/v1/api-keys", null, "X-API-Key", key.key());
        assertThat(list.status()).isEqualTo(200);
        assertThat(list.body()).doesNotContain(key.key());
        assertThat(list.json().path("items").get(0).path("prefix").asString()).isEqualTo(ApiKeyFormat.displayPrefix(key.key()));

        Response plans = gateway("GET", "/v1/plans", null);
        assertThat(plans.status()).isEqualTo(200);
        assertThat(plans.body()).contains("free", "developer", "business", "enterprise");
    }

    @Test
    @Order(2)
    void aBurstPastThePlanRateGets429WithRateLimitHeadersAndRetryAfter() throws Exception {
        Tenant t = signup("bursty");
        Key key = fullKey(t);
        List<Response> responses = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(16)) {
            List<Future<Response>> futures = new ArrayList<>();
            for (int i = 0; i < 80; i++) {
                futures.add(pool.submit(() -> gateway("GET", "/v1/tenant", null, "X-API-Key", key.key())));
            }
            for (Future<Response> f : futures) {
                responses.add(f.get());
            }
        }
        List<Response> limited = responses.stream().filter(r -> r.status() == 429).toList();
        assertThat(limited).as("some of 80 concurrent requests exceed the free plan's burst").isNotEmpty();
        assertThat(responses).allMatch(r -> r.status() == 200 || r.status() == 429);
        Response rejected = limited.get(0);
        assertThat(rejected.contentType()).startsWith("application/problem+json");
        assertThat(rejected.json().path("code").asString()).isEqualTo("rate_limited");
        assertThat(Integer.parseInt(rejected.header("Retry-After"))).isPositive();
        assertThat(rejected.header("RateLimit-Limit")).isNotNull();
        assertThat(rejected.header("RateLimit-Remaining")).isEqualTo("0");
        assertThat(rejected.header("RateLimit-Reset")).isNotNull();
    }

    @Test
    @Order(3)
    void usageOfRequestsThroughTheGatewayIsVisibleInAnalyticsExactlyOnce() {
        Tenant t = signup("metered");
        Key key = fullKey(t);
        for (int i = 0; i < 5; i++) {
            assertThat(gateway("GET", "/v1/tenant", null, key.header()).status()).isEqualTo(200);
        }
        // Signup and login are anonymous; the key's creation (with the owner's token) and the five reads are the
        // tenant's, one compute unit each on the tenant route.
        long requests = 6;
        long units = requests * PRICES.rest("tenant");
        // analytics-service's billing counters are read on its own port, so waiting adds no request of the tenant.
        Platform.await("the tenant's usage events consumed by analytics-service", Duration.ofSeconds(30))
                .until(() -> billingCounter("chainmesh_tenant_requests_total", t.id()), equalTo((double) requests));
        assertThat(billingCounter("chainmesh_tenant_compute_units_total", t.id())).isEqualTo((double) units);

        String from = Instant.now().minus(Duration.ofHours(1)).toString();
        String to = Instant.now().plus(Duration.ofHours(1)).toString();
        Response usage = gateway("GET", "/v1/analytics/usage?interval=minute&from=" + from + "&to=" + to, null,
                key.header());
        assertThat(usage.status()).as(usage.body()).isEqualTo(200);
        assertThat(usage.json().path("totals").path("requests").asLong()).isEqualTo(requests);
        assertThat(usage.json().path("totals").path("errors").asLong()).isZero();
        assertThat(usage.json().path("totals").path("computeUnits").asLong()).isEqualTo(units);

        // The quota counter is charged before a request is forwarded: it holds the analytics read and this one too.
        assertThat(Platform.computeUnitsThisPeriod(key))
                .isEqualTo(units + PRICES.rest("analytics") + PRICES.rest("tenant"));
    }

    /** A per-tenant counter from analytics-service's Prometheus scrape; 0 before its first event. */
    private static double billingCounter(String name, String tenantId) {
        String metrics = send("GET", "http://127.0.0.1:" + Platform.ANALYTICS_PORT + "/actuator/prometheus", null).body();
        Matcher m = Pattern.compile("(?m)^" + name + "\\{[^}]*tenant=\"" + tenantId + "\"[^}]*} (\\S+)$")
                .matcher(metrics);
        return m.find() ? Double.parseDouble(m.group(1)) : 0;
    }

    @Test
    @Order(4)
    void aRevokedKeyStopsWorkingWithinFiveSeconds() {
        Tenant t = signup("revoker");
        Key key = fullKey(t);
        assertThat(gateway("GET", "/v1/tenant", null, key.header()).status()).isEqualTo(200);

        Response revoked = gateway("DELETE", "/v1/api-keys/" + key.id(), null, t.bearer());
        assertThat(revoked.status()).as(revoked.body()).isEqualTo(204);

        Response after = Platform.await("key refused after its revocation", Duration.ofSeconds(5))
                .until(() -> gateway("GET", "/v1/tenant", null, key.header()), r -> r.status() == 401);
        assertThat(after.contentType()).startsWith("application/problem+json");
    }

    @Test
    @Order(5)
    void tenantBCannotListOrRevokeTenantAKeys() {
        Tenant a = signup("tenant-a");
        Tenant b = signup("tenant-b");
        Key aKey = fullKey(a);
        Key bKey = fullKey(b);

        Response bList = gateway("GET", "/v1/api-keys", null, bKey.header());
        assertThat(bList.status()).isEqualTo(200);
        List<String> ids = new ArrayList<>();
        bList.json().path("items").forEach(item -> ids.add(item.path("id").asString()));
        assertThat(ids).contains(bKey.id()).doesNotContain(aKey.id());

        Response bRevokesA = gateway("DELETE", "/v1/api-keys/" + aKey.id(), null, bKey.header());
        assertThat(bRevokesA.status()).isEqualTo(404);
        assertThat(bRevokesA.json().path("code").asString()).isEqualTo("not_found");
        assertThat(gateway("GET", "/v1/tenant", null, aKey.header()).status())
                .as("A's key still works after B's attempt").isEqualTo(200);
    }

    @Test
    @Order(6)
    void aDirectCallToAServicePortWithoutTheIdentityTokenIs401() {
        for (int port = Platform.TENANT_PORT; port <= Platform.GATEWAY_PORT + 5; port++) {
            Response direct = send("GET", "http://127.0.0.1:" + port + "/v1/tenant", null);
            assertThat(direct.status()).as("port " + port).isEqualTo(401);
            assertThat(direct.json().path("code").asString()).isEqualTo("identity_required");
        }
    }

    @Test
    @Order(7)
    void aClientSentIdentityTokenIsNeverTrusted() throws IOException {
        Tenant victim = signup("victim");
        Tenant attacker = signup("attacker");
        Key attackerKey = fullKey(attacker);

        // A forged token with a guessed secret, alone: the gateway wants real credentials.
        IdentityTokenCodec forger = new IdentityTokenCodec("not-the-platform-secret-0123456789abcdef",
                Duration.ofMinutes(5), java.time.Clock.systemUTC());
        String forged = forger.sign(new Identity(UUID.fromString(victim.id()), "user:x", Set.of("read", "admin"), "enterprise", null));
        Response alone = gateway("GET", "/v1/tenant", null, Identity.HEADER, forged);
        assertThat(alone.status()).isEqualTo(401);

        // The same forged token straight to a service port: rejected by the service.
        Response direct = send("GET", "http://127.0.0.1:" + Platform.TENANT_PORT + "/v1/tenant", null, Identity.HEADER, forged);
        assertThat(direct.status()).isEqualTo(401);
        assertThat(direct.json().path("code").asString()).isEqualTo("identity_invalid");

        // Even a correctly signed token naming the victim is stripped and replaced by the gateway.
        IdentityTokenCodec insider = new IdentityTokenCodec(Platform.identitySecret(), Duration.ofMinutes(5),
                java.time.Clock.systemUTC());
        String genuine = insider.sign(new Identity(UUID.fromString(victim.id()), "user:x", Set.of("read", "admin"), "enterprise", null));
        Response replaced = gateway("GET", "/v1/tenant", null, "X-API-Key", attackerKey.key(), Identity.HEADER, genuine,
                "X-Chainmesh-Tenant", victim.id());
        assertThat(replaced.status()).isEqualTo(200);
        assertThat(replaced.json().path("id").asString()).isEqualTo(attacker.id());
        Response admin = gateway("GET", "/v1/admin/tenants", null, "X-API-Key", attackerKey.key(), Identity.HEADER, genuine);
        assertThat(admin.status()).isEqualTo(403);
    }

    @Test
    @Order(8)
    void anOperatorSuspendsATenantAndItsKeysGet403UntilResumed() {
        Tenant t = signup("suspendable");
        Key key = fullKey(t);
        String operator = Platform.operatorToken();

        Response suspend = gateway("POST", "/v1/admin/tenants/" + t.id() + "/suspend", null, "Authorization", "Bearer " + operator);
        assertThat(suspend.status()).as(suspend.body()).isEqualTo(200);
        assertThat(suspend.json().path("status").asString()).isEqualTo("suspended");
        Response r = awaitStatus(key, 403);
        assertThat(r.json().path("code").asString()).isEqualTo("tenant_suspended");

        Response resume = gateway("POST", "/v1/admin/tenants/" + t.id() + "/resume", null, "Authorization", "Bearer " + operator);
        assertThat(resume.status()).as(resume.body()).isEqualTo(200);
        assertThat(resume.json().path("status").asString()).isEqualTo("active");
        awaitStatus(key, 200);
    }

    /** The gateway caches a key's tenant for at most 5 s, so a status change shows within 6. */
    private static Response awaitStatus(Key key, int status) {
        return Platform.await("GET /v1/tenant answered " + status, Duration.ofSeconds(6))
                .until(() -> gateway("GET", "/v1/tenant", null, key.header()), r -> r.status() == status);
    }

    /** A request that must be refused with a problem document, and the status it must get. */
    record Bad(String what, int status, String method, String path, String body, String... headers) {
    }

    @Test
    @Order(9)
    void thirtyMalformedRequestsEachGetA4xxProblemNamingTheIssueAndNoneA500() throws Exception {
        Tenant t = signup("sloppy");
        Key key = fullKey(t);
        String auth = "X-API-Key";
        String bearer = "Bearer " + t.jwt();
        String foreignJwt = foreignJwt(t.id());
        String huge = "{\"tenantName\":\"" + "x".repeat(2 * 1024 * 1024) + "\",\"email\":\"a@b.c\",\"password\":\"long-enough-pass\"}";
        List<Bad> cases = List.of(
                new Bad("truncated JSON", 400, "POST", "/v1/signup", "{\"tenantName\":"),
                new Bad("unknown field", 400, "POST", "/v1/signup",
                        "{\"tenantName\":\"x1\",\"email\":\"u@e2e.test\",\"password\":\"long-enough-pass\",\"isAdmin\":true}"),
                new Bad("wrong type", 400, "POST", "/v1/signup",
                        "{\"tenantName\":\"x1\",\"email\":\"u@e2e.test\",\"password\":[\"a\"]}"),
                new Bad("missing email", 400, "POST", "/v1/signup", "{\"tenantName\":\"x1\",\"password\":\"long-enough-pass\"}"),
                new Bad("invalid email", 400, "POST", "/v1/signup",
                        "{\"tenantName\":\"x1\",\"email\":\"not-an-email\",\"password\":\"long-enough-pass\"}"),
                new Bad("short password", 400, "POST", "/v1/signup", "{\"tenantName\":\"x1\",\"email\":\"u@e2e.test\",\"password\":\"short\"}"),
                new Bad("array body", 400, "POST", "/v1/signup", "[]"),
                new Bad("empty body", 400, "POST", "/v1/signup", ""),
                new Bad("huge body", 413, "POST", "/v1/signup", huge),
                new Bad("not JSON content type", 415, "POST", "/v1/signup", "tenantName=x", "Content-Type", "text/plain"),
                new Bad("token: bad JSON", 400, "POST", "/v1/auth/token", "{email:}"),
                new Bad("token: wrong password", 401, "POST", "/v1/auth/token",
                        "{\"email\":\"" + t.email() + "\",\"password\":\"wrong-password-123\"}"),
                new Bad("token: unknown user", 401, "POST", "/v1/auth/token",
                        "{\"email\":\"nobody-" + UUID.randomUUID() + "@e2e.test\",\"password\":\"whatever-password\"}"),
                new Bad("no credentials", 401, "GET", "/v1/tenant", null),
                new Bad("malformed key", 401, "GET", "/v1/tenant", null, auth, "cmk_abc"),
                new Bad("well-formed unknown key", 401, "GET", "/v1/tenant", null, auth, ApiKeyFormat.generate()),
                new Bad("garbage bearer", 401, "GET", "/v1/tenant", null, "Authorization", "Bearer abc.def.ghi"),
                new Bad("JWT signed by a stranger", 401, "GET", "/v1/tenant", null, "Authorization", "Bearer " + foreignJwt),
                new Bad("bad id", 400, "DELETE", "/v1/api-keys/not-a-uuid", null, "Authorization", bearer),
                new Bad("unknown id", 404, "DELETE", "/v1/api-keys/" + UUID.randomUUID(), null, "Authorization", bearer),
                new Bad("unknown scope", 400, "POST", "/v1/api-keys", "{\"name\":\"k\",\"scopes\":[\"superuser\"]}", "Authorization", bearer),
                new Bad("expiry in the past", 400, "POST", "/v1/api-keys", "{\"name\":\"k\",\"expiresAt\":\"2001-01-01T00:00:00Z\"}",
                        "Authorization", bearer),
                new Bad("unparseable expiry", 400, "POST", "/v1/api-keys", "{\"name\":\"k\",\"expiresAt\":\"tomorrow\"}",
                        "Authorization", bearer),
                new Bad("name too long", 400, "POST", "/v1/api-keys", "{\"name\":\"" + "n".repeat(200) + "\"}", "Authorization", bearer),
                new Bad("non-numeric limit", 400, "GET", "/v1/api-keys?limit=abc", null, "Authorization", bearer),
                new Bad("bad interval", 400, "GET", "/v1/analytics/usage?interval=fortnight", null, auth, key.key()),
                new Bad("bad from", 400, "GET", "/v1/analytics/usage?from=yesterday", null, auth, key.key()),
                new Bad("no such route", 404, "GET", "/v1/no-such-thing", null, auth, key.key()),
                new Bad("wrong method", 405, "PUT", "/v1/tenant", "{}", auth, key.key()),
                new Bad("operator endpoint as tenant", 403, "GET", "/v1/admin/tenants", null, auth, key.key()));

        List<String> failures = new ArrayList<>();
        for (Bad bad : cases) {
            Response r = sendBad(bad);
            String problem = bad.what() + " -> " + r.status() + " " + abbreviate(r.body());
            if (r.status() != bad.status()) {
                failures.add("expected " + bad.status() + ": " + problem);
                continue;
            }
            if (r.contentType() == null || !r.contentType().startsWith("application/problem+json")) {
                failures.add("not problem+json (" + r.contentType() + "): " + problem);
                continue;
            }
            JsonNode json = r.json();
            if (json.path("code").asString("").isBlank() || json.path("detail").asString("").isBlank()
                    || json.path("status").asInt() != bad.status()) {
                failures.add("problem lacks code/detail/status: " + problem);
            }
        }
        assertThat(failures).isEmpty();
    }

    private static Response sendBad(Bad bad) {
        List<String> headers = new ArrayList<>(List.of(bad.headers()));
        boolean customType = headers.contains("Content-Type");
        if (bad.body() != null && customType) {
            // send with the given content type instead of application/json
            var b = java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + Platform.GATEWAY_PORT + bad.path()))
                    .method(bad.method(), java.net.http.HttpRequest.BodyPublishers.ofString(bad.body()));
            for (int i = 0; i + 1 < headers.size(); i += 2) {
                b.header(headers.get(i), headers.get(i + 1));
            }
            try {
                var r = Platform.HTTP.send(b.build(), java.net.http.HttpResponse.BodyHandlers.ofString());
                return new Response(r.statusCode(), r.headers(), r.body());
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
        return gateway(bad.method(), bad.path(), bad.body(), bad.headers());
    }

    private static String foreignJwt(String tenantId) throws Exception {
        var key = new RSAKeyGenerator(2048).keyID("stranger").generate();
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("stranger").build(),
                new JWTClaimsSet.Builder().issuer("chainmesh").audience("chainmesh-api").subject(UUID.randomUUID().toString())
                        .claim("tid", tenantId).claim("scp", List.of("read", "admin"))
                        .expirationTime(java.util.Date.from(Instant.now().plusSeconds(600))).build());
        jwt.sign(new RSASSASigner(key));
        return jwt.serialize();
    }

    private static String abbreviate(String s) {
        return s == null ? "" : s.length() > 200 ? s.substring(0, 200) + "…" : s;
    }

    @Test
    @Order(100)
    void noPlaintextKeyPasswordOrTokenAppearsInAnyServiceLog() throws IOException {
        Path logs = Platform.home().resolve("logs");
        List<String> leaks = new ArrayList<>();
        try (var files = Files.list(logs)) {
            for (Path log : files.toList()) {
                String text = Files.readString(log);
                for (String secret : Platform.SECRETS) {
                    if (text.contains(secret)) {
                        leaks.add(log.getFileName() + " contains a secret starting " + secret.substring(0, 6));
                    }
                }
                if (text.contains(Platform.OPERATOR_PASSWORD)) {
                    leaks.add(log.getFileName() + " contains the operator password");
                }
            }
        }
        assertThat(Platform.SECRETS).hasSizeGreaterThan(10);
        assertThat(leaks).isEmpty();
    }
}
