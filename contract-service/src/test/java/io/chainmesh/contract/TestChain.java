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
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Real anvil processes (the pinned npm binary) on free ports, started on first use and killed by a shutdown hook.
 * {@link #shared()} automines and serves most tests; {@link #manualMining()} is a second chain that mines only when a
 * test says so, for transactions that must wait in the pool (stuck transactions, confirmation depth, reorgs) without
 * disturbing the tests that share the first one. Tests talk to a chain directly only for set-up (funding, mining,
 * snapshots); the service reaches it through {@link FakeBlockchainService}.
 */
public final class TestChain {

    static final JsonMapper JSON = JsonMapper.builder().build();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final AtomicLong IDS = new AtomicLong();
    private static TestChain shared;
    private static TestChain manualMining;

    private final String url;
    private final long chainId;

    private TestChain(String url, long chainId) {
        this.url = url;
        this.chainId = chainId;
    }

    /** The automining chain (chain id 31337) most tests share. */
    public static synchronized TestChain shared() {
        if (shared == null) {
            shared = start(31337);
        }
        return shared;
    }

    /** A chain (chain id 31338) that mines only on {@link #mine(int)}: a sent transaction waits in the pool. */
    public static synchronized TestChain manualMining() {
        if (manualMining == null) {
            manualMining = start(31338, "--no-mining");
        }
        return manualMining;
    }

    public String url() {
        return url;
    }

    public long chainId() {
        return chainId;
    }

    static Path root() {
        return Path.of(System.getProperty("user.dir")).toAbsolutePath().getParent();
    }

    private static TestChain start(long chainId, String... options) {
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
        List<String> command = new ArrayList<>(List.of(anvil.toString(), "--port", String.valueOf(port), "--host", "127.0.0.1",
                "--silent", "--chain-id", String.valueOf(chainId)));
        command.addAll(List.of(options));
        try {
            Process process = new ProcessBuilder(command)
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            Runtime.getRuntime().addShutdownHook(new Thread(process::destroyForcibly));
            String u = "http://127.0.0.1:" + port;
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (System.nanoTime() < deadline) {
                try {
                    rpcAt(u, "eth_blockNumber");
                    return new TestChain(u, chainId);
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

    public JsonNode rpc(String method, Object... params) {
        return rpcAt(url, method, params);
    }

    /** The transaction's receipt once the chain has one (automining may lag a concurrent burst); fails after 10 s. */
    public JsonNode receipt(String hash) throws InterruptedException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (true) {
            JsonNode receipt = rpc("eth_getTransactionReceipt", hash);
            if (receipt != null && !receipt.isNull() && receipt.has("status")) {
                return receipt;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no receipt for " + hash + " within 10 s");
            }
            Thread.sleep(50);
        }
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
    public void fund(String address) {
        rpc("anvil_setBalance", address, "0x3635c9adc5dea00000");
    }

    public void mine(int blocks) {
        rpc("anvil_mine", "0x" + Integer.toHexString(blocks));
    }

    public long blockNumber() {
        return Long.decode(rpc("eth_blockNumber").asString());
    }
}
