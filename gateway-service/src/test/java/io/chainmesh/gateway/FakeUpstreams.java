package io.chainmesh.gateway;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

import io.chainmesh.common.identity.Identity;
import io.chainmesh.common.identity.IdentityTokenCodec;
import io.chainmesh.common.tenant.TenantContextView;
import io.chainmesh.testing.HttpStandIn;
import io.chainmesh.testing.HttpStandIn.Request;
import io.chainmesh.testing.HttpStandIn.Response;
import io.chainmesh.testing.TenantServiceStandIn;
import tools.jackson.databind.json.JsonMapper;

/**
 * One real HTTP server standing in for every upstream of the gateway: tenant-service's internal endpoints (the shared
 * {@link TenantServiceStandIn} answers {@code /internal/tenants/{id}/context}; {@code /internal/api-keys/verify}, only
 * for the gateway's own identity, and {@code /.well-known/jwks.json} are added here with answers the tests program),
 * and, on every other path, an echo of the method, path, headers and body size it received.
 */
final class FakeUpstreams {

    static final String IDENTITY_SECRET = "test-identity-secret-0123456789abcdef-0123456789";
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String NOT_INTERNAL = "(?!/internal/|/\\.well-known/).*";

    private final TenantServiceStandIn tenantService = TenantServiceStandIn.shared();
    private final HttpStandIn server = tenantService.server();
    private final RSAKey signingKey;
    private final IdentityTokenCodec codec = new IdentityTokenCodec(IDENTITY_SECRET, Duration.ofSeconds(60),
            java.time.Clock.systemUTC());
    final Map<String, Map<String, Object>> keys = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> verifyCalls = new ConcurrentHashMap<>();

    private FakeUpstreams(RSAKey signingKey) {
        this.signingKey = signingKey;
        // Later routes win: the echo first, so the tenant-service routes take their paths back from it.
        for (String method : List.of("GET", "POST", "PUT", "PATCH", "DELETE")) {
            server.route(method, NOT_INTERNAL, FakeUpstreams::echo);
        }
        server.route("GET", "/\\.well-known/jwks\\.json",
                request -> json(200, new JWKSet(signingKey.toPublicJWK()).toJSONObject()));
        server.route("POST", "/internal/api-keys/verify", this::verify);
    }

    static FakeUpstreams start() {
        try {
            return new FakeUpstreams(new RSAKeyGenerator(2048).keyID("test-key-1").generate());
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    String url() {
        return server.url();
    }

    int verifyCallsFor(String key) {
        return verifyCalls.getOrDefault(key, new AtomicInteger()).get();
    }

    long contextCallsFor(UUID tenantId) {
        String path = "/internal/tenants/" + tenantId + "/context";
        return server.requests().stream().filter(request -> request.path().equals(path)).count();
    }

    /** From now on tenant-service answers this context for the tenant. */
    void context(TenantContextView context) {
        tenantService.set(context);
    }

    String mintJwt(UUID tenantId, UUID userId, List<String> scopes, String audience, Instant expiresAt) {
        return mintJwt(signingKey, tenantId, userId, scopes, audience, expiresAt);
    }

    static String mintJwt(RSAKey key, UUID tenantId, UUID userId, List<String> scopes, String audience,
            Instant expiresAt) {
        JWTClaimsSet claims = new JWTClaimsSet.Builder()
                .issuer("chainmesh")
                .audience(audience)
                .subject(userId.toString())
                .issueTime(new Date())
                .expirationTime(Date.from(expiresAt))
                .claim("tid", tenantId.toString())
                .claim("scp", scopes)
                .claim("plan", "free")
                .build();
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID()).build(), claims);
        try {
            jwt.sign(new RSASSASigner(key));
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
        return jwt.serialize();
    }

    @SuppressWarnings("unchecked")
    private Response verify(Request request) {
        if (!isGateway(request.header(Identity.HEADER))) {
            return Response.problem(401, "identity_required");
        }
        String key = (String) JSON.readValue(request.body(), Map.class).get("key");
        verifyCalls.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet();
        return json(200, keys.getOrDefault(key, Map.of("valid", false, "reason", "unknown")));
    }

    private static Response echo(Request request) {
        Map<String, String> headers = new LinkedHashMap<>();
        request.headers().forEach((name, values) -> headers.put(name.toLowerCase(), values.getFirst()));
        Map<String, Object> echo = new LinkedHashMap<>();
        echo.put("method", request.method());
        echo.put("path", request.path());
        echo.put("headers", headers);
        echo.put("bodyBytes", request.body().getBytes(StandardCharsets.UTF_8).length);
        return json(200, echo);
    }

    private boolean isGateway(String token) {
        try {
            Identity identity = codec.verify(token == null ? "" : token);
            return identity.principal().equals("service:gateway") && identity.hasScope(Identity.SCOPE_INTERNAL);
        } catch (RuntimeException e) {
            return false;
        }
    }

    private static Response json(int status, Object body) {
        return Response.json(status, JSON.writeValueAsString(body));
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> parse(String body) {
        return JSON.readValue(body, Map.class);
    }
}
