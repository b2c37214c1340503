package io.chainmesh.testing;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A real anvil (the pinned npm binary in the repository's {@code node_modules}) on a free loopback port, killed with
 * its children when the test JVM exits. {@link #shared(long, String...)} gives every test of a suite the same chain
 * for the same chain id and options, so a suite starts each kind once; {@link #start(long, String...)} gives a test
 * a chain of its own (one it may kill or reorganise).
 */
public final class AnvilProcess {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private static final AtomicLong IDS = new AtomicLong();
    private static final Map<String, AnvilProcess> SHARED = new ConcurrentHashMap<>();

    private final Process process;
    private final int port;
    private final long chainId;

    private AnvilProcess(Process process, int port, long chainId) {
        this.process = process;
        this.port = port;
        this.chainId = chainId;
    }

    /** The repository root: test JVMs run in a module folder one level below it. */
    public static Path repositoryRoot() {
        return Path.of(System.getProperty("user.dir")).toAbsolutePath().getParent();
    }

    /** The pinned anvil binary; fails with what to do when {@code npm ci} has not run. */
    public static String binary() {
        Path anvil = repositoryRoot().resolve("node_modules/@foundry-rs/anvil-linux-amd64/bin/anvil");
        if (!Files.isExecutable(anvil)) {
            throw new IllegalStateException("anvil not found at " + anvil + " (run bin/chainmesh prepare)");
        }
        return anvil.toString();
    }

    /** The one chain of this JVM with this chain id and these options, started on first use. */
    public static AnvilProcess shared(long chainId, String... options) {
        return SHARED.computeIfAbsent(chainId + " " + String.join(" ", options), k -> start(chainId, options));
    }

    /** A new chain; {@code options} are extra anvil flags such as {@code --no-mining}. */
    public static AnvilProcess start(long chainId, String... options) {
        int port = freePort();
        List<String> command = new ArrayList<>(List.of(binary(), "--host", "127.0.0.1", "--port",
                String.valueOf(port), "--chain-id", String.valueOf(chainId)));
        command.addAll(List.of(options));
        try {
            Path log = Files.createTempFile("test-anvil-", ".log");
            Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
            }));
            AnvilProcess anvil = new AnvilProcess(process, port, chainId);
            await("anvil on port " + port).atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100))
                    .ignoreExceptions().until(() -> {
                        if (!process.isAlive()) {
                            throw new AssertionError("anvil exited: " + Files.readString(log));
                        }
                        return anvil.rpc("eth_chainId") != null;
                    });
            return anvil;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public String url() {
        return "http://127.0.0.1:" + port;
    }

    public int port() {
        return port;
    }

    public long chainId() {
        return chainId;
    }

    public Process process() {
        return process;
    }

    /** Calls {@code method} with {@code params} (turned into JSON) and answers the result; a JSON-RPC error throws. */
    public JsonNode rpc(String method, Object... params) {
        ObjectNode request = JSON.createObjectNode();
        request.put("jsonrpc", "2.0").put("id", IDS.incrementAndGet()).put("method", method);
        ArrayNode array = request.putArray("params");
        for (Object p : params) {
            array.add(JSON.valueToTree(p));
        }
        JsonNode body = JSON.readTree(post(JSON.writeValueAsString(request)));
        if (body.has("error")) {
            throw new IllegalStateException(method + " failed: " + body.get("error"));
        }
        return body.get("result");
    }

    /** Posts a raw JSON-RPC body and answers the raw response body. */
    public String post(String body) {
        try {
            HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(url()))
                    .timeout(Duration.ofSeconds(10)).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
            return response.body();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Gives {@code address} 1000 ether. */
    public void fund(String address) {
        rpc("anvil_setBalance", address, "0x3635c9adc5dea00000");
    }

    public void mine(int blocks) {
        rpc("anvil_mine", "0x" + Integer.toHexString(blocks));
    }

    public long blockNumber() {
        return Long.decode(rpc("eth_blockNumber").asString());
    }

    /** The transaction's receipt once the chain has one; fails after 10 s. */
    public JsonNode receipt(String hash) {
        return await("receipt of " + hash).atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50))
                .until(() -> rpc("eth_getTransactionReceipt", hash), r -> r != null && r.has("status"));
    }

    /** Kills the process (and waits for it), as a crash would. */
    public void kill() {
        process.destroyForcibly();
        try {
            process.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
