package io.chainmesh.e2e;

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
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Starts the whole platform once per test run with {@code bin/chainmesh up} (the same script a developer
 * uses) on its own ports, PostgreSQL databases and Redis database, and stops it with
 * {@code bin/chainmesh down} when every test is done.
 */
public final class Platform implements BeforeAllCallback, ExtensionContext.Store.CloseableResource {

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
}
