package io.chainmesh.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;

import org.awaitility.Awaitility;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import io.chainmesh.common.apikey.ApiKeyFormat;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Starts the whole platform once per test run with {@code bin/chainmesh up} (the same script a developer
 * uses) on its own ports, PostgreSQL databases and Redis database, and stops it with
 * {@code bin/chainmesh down} when every test is done.
 */
public final class Platform implements BeforeAllCallback, AutoCloseable {

    static final int GATEWAY_PORT = 18080;
    static final int TENANT_PORT = GATEWAY_PORT + 1;
    static final int ANALYTICS_PORT = GATEWAY_PORT + 4;
    static final String OPERATOR_EMAIL = "operator@e2e.chainmesh.test";
    static final String OPERATOR_PASSWORD = "e2e-operator-password-42";
    static final String DB_PREFIX = "chainmesh_e2e";
    static final String REDIS_DB = "3";
    static final List<String> DATABASES = List.of("tenant", "chain", "contract", "analytics", "notification");

    static final JsonMapper JSON = JsonMapper.builder().build();
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /** Every password, token and key the tests were handed; none may appear in a service log. */
    static final ConcurrentLinkedQueue<String> SECRETS = new ConcurrentLinkedQueue<>();

    /** How often {@link #await} asks: well inside the free plan's 10 requests a second. */
    private static final Duration POLL_INTERVAL = Duration.ofMillis(250);

    private static boolean started;

    static Path root() {
        return Path.of(System.getProperty("chainmesh.root", "..")).toAbsolutePath().normalize();
    }

    static Path home() {
        return Path.of(System.getProperty("chainmesh.e2e.home", "target/e2e-home")).toAbsolutePath().normalize();
    }

    @Override
    public synchronized void beforeAll(ExtensionContext context) throws Exception {
        if (started) {
            return;
        }
        started = true;
        resetState();
        int exit = chainmesh("up", Duration.ofMinutes(5));
        if (exit != 0) {
            chainmesh("down", Duration.ofMinutes(1));
            throw new IllegalStateException("bin/chainmesh up failed with exit " + exit + ":\n" + tail(home().resolve("up.log")));
        }
        context.getRoot().getStore(ExtensionContext.Namespace.GLOBAL).put(Platform.class.getName(), this);
    }

    @Override
    public void close() throws Exception {
        chainmesh("down", Duration.ofMinutes(1));
    }

    private static void resetState() throws SQLException, IOException, InterruptedException {
        try (Connection c = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:5432/postgres", "postgres", "");
             Statement s = c.createStatement()) {
            for (String db : DATABASES) {
                s.execute("DROP DATABASE IF EXISTS " + DB_PREFIX + "_" + db + " WITH (FORCE)");
            }
        }
        new ProcessBuilder("redis-cli", "-n", REDIS_DB, "FLUSHDB").inheritIO().start().waitFor(10, TimeUnit.SECONDS);
        Path logs = home().resolve("logs");
        if (Files.isDirectory(logs)) {
            try (var files = Files.list(logs)) {
                for (Path f : files.toList()) {
                    Files.delete(f);
                }
            }
        }
    }

    static int chainmesh(String command, Duration timeout) throws IOException, InterruptedException {
        Files.createDirectories(home());
        ProcessBuilder pb = new ProcessBuilder("bash", root().resolve("bin/chainmesh").toString(), command)
                .directory(root().toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(home().resolve(command + ".log").toFile()));
        Map<String, String> env = pb.environment();
        env.put("CHAINMESH_HOME", home().toString());
        env.put("CHAINMESH_PORT_BASE", String.valueOf(GATEWAY_PORT));
        env.put("CHAINMESH_ANVIL_PORT", "18545");
        env.put("CHAINMESH_DB_PREFIX", DB_PREFIX);
        env.put("CHAINMESH_REDIS_DB", REDIS_DB);
        env.put("CHAINMESH_SKIP_BUILD", "1");
        env.put("CHAINMESH_OPERATOR_EMAIL", OPERATOR_EMAIL);
        env.put("CHAINMESH_OPERATOR_PASSWORD", OPERATOR_PASSWORD);
        Process p = pb.start();
        if (!p.waitFor(timeout.toSeconds(), TimeUnit.SECONDS)) {
            p.destroyForcibly();
            return -1;
        }
        return p.exitValue();
    }

    static String identitySecret() throws IOException {
        return Files.readString(home().resolve("identity.secret")).trim();
    }

    static String tail(Path file) {
        try {
            List<String> lines = Files.readAllLines(file);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size()));
        } catch (IOException e) {
            return "(no " + file + ")";
        }
    }

    /** One HTTP exchange, with the body parsed when it is JSON. */
    record Response(int status, java.net.http.HttpHeaders headers, String body) {
        JsonNode json() {
            return JSON.readTree(body);
        }

        String header(String name) {
            return headers.firstValue(name).orElse(null);
        }

        String contentType() {
            return header("Content-Type");
        }
    }

    static Response send(String method, String url, String body, String... headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        if (body != null) {
            b.header("Content-Type", "application/json");
        }
        for (int i = 0; i + 1 < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        try {
            HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
            return new Response(r.statusCode(), r.headers(), r.body());
        } catch (IOException e) {
            throw new IllegalStateException(method + " " + url + " failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static Response gateway(String method, String path, String body, String... headers) {
        return send(method, "http://127.0.0.1:" + GATEWAY_PORT + path, body, headers);
    }

    /** A tenant signed up through the gateway, with its owner's credentials and RS256 access token. */
    record Tenant(String id, String email, String password, String jwt) {
        String[] bearer() {
            return new String[] {"Authorization", "Bearer " + jwt};
        }
    }

    /** An API key as created: its id and the secret, which is shown only once. */
    record Key(String id, String key) {
        String[] header() {
            return new String[] {"X-API-Key", key};
        }
    }

    /** Signs a new tenant up (a fresh email each call) and logs its owner in. */
    static Tenant signup(String name) {
        String email = name + "-" + UUID.randomUUID().toString().substring(0, 8) + "@e2e.test";
        String password = "pw-" + UUID.randomUUID();
        SECRETS.add(password);
        Response created = gateway("POST", "/v1/signup",
                "{\"tenantName\":\"" + name + "\",\"email\":\"" + email + "\",\"password\":\"" + password + "\"}");
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        assertThat(created.body()).doesNotContain(password);
        return new Tenant(created.json().path("tenant").path("id").asString(), email, password, token(email, password));
    }

    /** An access token for a portal user (RFC 6749 section 5.1 response). */
    static String token(String email, String password) {
        Response token = gateway("POST", "/v1/auth/token",
                "{\"email\":\"" + email + "\",\"password\":\"" + password + "\"}");
        assertThat(token.status()).as(token.body()).isEqualTo(200);
        assertThat(token.json().path("token_type").asString()).isEqualTo("Bearer");
        assertThat(token.json().path("expires_in").asLong()).isPositive();
        String jwt = token.json().path("access_token").asString();
        SECRETS.add(jwt);
        return jwt;
    }

    static String operatorToken() {
        return token(OPERATOR_EMAIL, OPERATOR_PASSWORD);
    }

    /** Creates a key with the given scopes, authenticated as the tenant's owner. */
    static Key createKey(Tenant tenant, String... scopes) {
        Response r = gateway("POST", "/v1/api-keys", "{\"name\":\"e2e key\",\"scopes\":" + JSON.writeValueAsString(scopes)
                + "}", tenant.bearer());
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        String key = r.json().path("key").asString();
        assertThat(ApiKeyFormat.isWellFormed(key)).isTrue();
        SECRETS.add(key);
        return new Key(r.json().path("id").asString(), key);
    }

    /** A key with every scope a tenant can hold. */
    static Key fullKey(Tenant tenant) {
        return createKey(tenant, "read", "write", "rpc", "keys");
    }

    /**
     * Waits for something the platform does asynchronously, asking four times a second; an exception while asking
     * fails at once, since a broken service is not "not yet".
     */
    static ConditionFactory await(String what, Duration atMost) {
        return Awaitility.await(what).atMost(atMost).pollDelay(Duration.ZERO).pollInterval(POLL_INTERVAL);
    }

    /** The tenant's compute units this month, as the gateway's quota counts them; the read itself costs one. */
    static long computeUnitsThisPeriod(Key key) {
        Response tenant = gateway("GET", "/v1/tenant", null, key.header());
        assertThat(tenant.status()).as(tenant.body()).isEqualTo(200);
        return tenant.json().path("usage").path("computeUnitsThisPeriod").asLong();
    }
}
