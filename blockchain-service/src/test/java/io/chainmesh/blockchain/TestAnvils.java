package io.chainmesh.blockchain;

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
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.awaitility.core.ConditionTimeoutException;

/**
 * Real anvil processes for the tests, started once per JVM (suite) and killed by a shutdown hook: {@link #shared()}
 * is a stable upstream for external nodes; tests that kill or reorg a chain start their own with {@link #start()}.
 */
public final class TestAnvils {

    private static final List<Process> STARTED = new CopyOnWriteArrayList<>();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static volatile Anvil shared;

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> STARTED.forEach(p -> p.descendants()
                .forEach(ProcessHandle::destroyForcibly))));
        Runtime.getRuntime().addShutdownHook(new Thread(() -> STARTED.forEach(Process::destroyForcibly)));
    }

    private TestAnvils() {
    }

    /** One running anvil. */
    public record Anvil(Process process, int port) {
        public String url() {
            return "http://127.0.0.1:" + port;
        }

        public String rpc(String method, String params) {
            return TestAnvils.rpc(url(), method, params);
        }

        public void kill() throws InterruptedException {
            process.destroyForcibly();
            process.waitFor();
        }
    }

    public static Path root() {
        return Path.of(System.getProperty("user.dir")).toAbsolutePath().getParent();
    }

    public static String anvilBin() {
        return root().resolve("node_modules/@foundry-rs/anvil-linux-amd64/bin/anvil").toString();
    }

    public static synchronized Anvil shared() {
        if (shared == null) {
            shared = start();
        }
        return shared;
    }

    public static Anvil start() {
        try {
            int port;
            try (ServerSocket socket = new ServerSocket(0)) {
                port = socket.getLocalPort();
            }
            Path log = Files.createTempFile("test-anvil-", ".log");
            Process process = new ProcessBuilder(anvilBin(), "--host", "127.0.0.1", "--port", Integer.toString(port))
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
            STARTED.add(process);
            String url = "http://127.0.0.1:" + port;
            try {
                await("anvil on :" + port).atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100))
                        .ignoreException(IllegalStateException.class)
                        .until(() -> rpc(url, "eth_chainId", "[]") != null);
            } catch (ConditionTimeoutException e) {
                throw new IllegalStateException("anvil did not start: " + Files.readString(log), e);
            }
            return new Anvil(process, port);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The raw JSON-RPC response body. */
    public static String rpc(String url, String method, String params) {
        return post(url, "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"" + method + "\",\"params\":" + params + "}");
    }

    public static String post(String url, String body) {
        try {
            HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(url))
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
}
