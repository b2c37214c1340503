package io.chainmesh.contract;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * One real anvil (the pinned npm binary) for the whole test suite, on a free port, killed by a shutdown hook.
 * Tests talk to it directly only for chain set-up (funding, mining, snapshots); the service reaches it through
 * {@link FakeBlockchainService}.
 */
public final class TestChain {

    static final JsonMapper JSON = JsonMapper.builder().build();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final AtomicLong IDS = new AtomicLong();
    private static String url;

    private TestChain() {
    }

    static synchronized String url() {
        if (url == null) {
            url = start();
        }
        return url;
    }

    static Path root() {
        return Path.of(System.getProperty("user.dir")).toAbsolutePath().getParent();
    }

    private static String start() {
        Path anvil = root().resolve("node_modules/@foundry-rs/anvil-linux-amd64/bin/anvil");
        if (!Files.isExecutable(anvil)) {
            throw new IllegalStateException("anvil not found at " + anvil + " (npm ci in the repository root)");
        }
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        try {
            Process process = new ProcessBuilder(anvil.toString(), "--port", String.valueOf(port), "--host", "127.0.0.1",
                    "--silent", "--chain-id", "31337")
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            Runtime.getRuntime().addShutdownHook(new Thread(process::destroyForcibly));
            String u = "http://127.0.0.1:" + port;
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (System.nanoTime() < deadline) {
                try {
                    rpcAt(u, "eth_blockNumber");
                    return u;
                } catch (RuntimeException e) {
                    Thread.sleep(100);
                }
            }
            throw new IllegalStateException("anvil did not start on port " + port);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static JsonNode rpc(String method, Object... params) {
        return rpcAt(url(), method, params);
    }

    private static JsonNode rpcAt(String target, String method, Object... params) {
        ObjectNode request = JSON.createObjectNode();
        request.put("jsonrpc", "2.0").put("id", IDS.incrementAndGet()).put("method", method);
        ArrayNode array = request.putArray("params");
        for (Object p : params) {
            array.add(JSON.valueToTree(p));
        }
        try {
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(target))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(request))).build(),
                    HttpResponse.BodyHandlers.ofString());
            JsonNode body = JSON.readTree(r.body());
            if (body.has("error")) {
                throw new IllegalStateException(method + " failed: " + body.get("error"));
            }
            return body.get("result");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Gives {@code address} 1000 ether. */
    static void fund(String address) {
        rpc("anvil_setBalance", address, "0x3635c9adc5dea00000");
    }

    static void mine(int blocks) {
        rpc("anvil_mine", "0x" + Integer.toHexString(blocks));
    }
}
