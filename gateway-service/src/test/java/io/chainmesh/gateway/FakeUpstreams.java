package io.chainmesh.gateway;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
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
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import io.chainmesh.common.identity.Identity;
import io.chainmesh.common.identity.IdentityTokenCodec;
import tools.jackson.databind.json.JsonMapper;

/**
 * Real HTTP servers standing in for the gateway's upstreams: tenant-service's internal endpoints
 * ({@code /internal/api-keys/verify}, {@code /internal/tenants/{id}/context}, {@code /.well-known/jwks.json}) with
 * answers the tests program, and an echo upstream that returns the method, path and headers it received.
 */
final class FakeUpstreams {

    static final String IDENTITY_SECRET = "test-identity-secret-0123456789abcdef-0123456789";
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final HttpServer server;
    private final RSAKey signingKey;
    private final IdentityTokenCodec codec = new IdentityTokenCodec(IDENTITY_SECRET, Duration.ofSeconds(60),
            java.time.Clock.systemUTC());
    final Map<String, Map<String, Object>> keys = new ConcurrentHashMap<>();
    final Map<UUID, Map<String, Object>> contexts = new ConcurrentHashMap<>();
    final Map<String, AtomicInteger> verifyCalls = new ConcurrentHashMap<>();
    final Map<UUID, AtomicInteger> contextCalls = new ConcurrentHashMap<>();

    private FakeUpstreams(HttpServer server, RSAKey signingKey) {
        this.server = server;
        this.signingKey = signingKey;
    }

    static FakeUpstreams start() {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            FakeUpstreams upstreams = new FakeUpstreams(server,
                    new RSAKeyGenerator(2048).keyID("test-key-1").generate());
            server.createContext("/", upstreams::handle);
            server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
            server.start();
            return upstreams;
        } catch (IOException | JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    int verifyCallsFor(String key) {
        return verifyCalls.getOrDefault(key, new AtomicInteger()).get();
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

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getRawPath();
            byte[] requestBody;
            try (InputStream in = exchange.getRequestBody()) {
                requestBody = in.readAllBytes();
            }
            if (path.startsWith("/internal/")) {
                if (!isGateway(exchange.getRequestHeaders().getFirst(Identity.HEADER))) {
                    respond(exchange, 401, Map.of("code", "authentication_required"));
                    return;
                }
                if (path.equals("/internal/api-keys/verify")) {
                    String key = (String) JSON.readValue(requestBody, Map.class).get("key");
                    verifyCalls.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet();
                    respond(exchange, 200, keys.getOrDefault(key, Map.of("valid", false, "reason", "unknown")));
                    return;
                }
                if (path.startsWith("/internal/tenants/") && path.endsWith("/context")) {
                    UUID tenantId = UUID.fromString(path.split("/")[3]);
                    contextCalls.computeIfAbsent(tenantId, k -> new AtomicInteger()).incrementAndGet();
                    Map<String, Object> context = contexts.get(tenantId);
                    respond(exchange, context == null ? 404 : 200, context == null ? Map.of() : context);
                    return;
                }
            }
            if (path.equals("/.well-known/jwks.json")) {
                respond(exchange, 200, new JWKSet(signingKey.toPublicJWK()).toJSONObject());
                return;
            }
            Map<String, String> headers = new LinkedHashMap<>();
            exchange.getRequestHeaders().forEach((name, values) -> headers.put(name.toLowerCase(), values.getFirst()));
            Map<String, Object> echo = new LinkedHashMap<>();
            echo.put("method", exchange.getRequestMethod());
            echo.put("path", path);
            echo.put("headers", headers);
            echo.put("bodyBytes", requestBody.length);
            respond(exchange, 200, echo);
        }
    }

    private boolean isGateway(String token) {
        try {
            Identity identity = codec.verify(token == null ? "" : token);
            return identity.principal().equals("service:gateway") && identity.hasScope(Identity.SCOPE_INTERNAL);
        } catch (RuntimeException e) {
            return false;
        }
    }

    private static void respond(HttpExchange exchange, int status, Object body) throws IOException {
        byte[] bytes = JSON.writeValueAsBytes(body);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    static String json(Object value) {
        return new String(JSON.writeValueAsBytes(value), StandardCharsets.UTF_8);
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> parse(String body) {
        return JSON.readValue(body, Map.class);
    }
}
