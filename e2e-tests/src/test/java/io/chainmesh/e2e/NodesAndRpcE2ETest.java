package io.chainmesh.e2e;

import static io.chainmesh.e2e.Platform.gateway;
import static io.chainmesh.e2e.Platform.signup;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.web3j.crypto.Credentials;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.DefaultBlockParameter;
import org.web3j.protocol.core.methods.response.EthBlock;
import org.web3j.protocol.core.methods.response.TransactionReceipt;
import org.web3j.protocol.http.HttpService;
import org.web3j.tx.RawTransactionManager;
import org.web3j.tx.Transfer;
import org.web3j.utils.Convert;

import io.chainmesh.e2e.Platform.Key;
import io.chainmesh.e2e.Platform.Response;
import io.chainmesh.e2e.Platform.Tenant;
import tools.jackson.databind.JsonNode;

/**
 * Nodes and the JSON-RPC endpoint end to end through the gateway: a tenant creates a local (anvil) node, reads and
 * writes it with ethers v6 (HTTP and WebSocket subscriptions), cast and web3j through both URL forms, is billed the
 * per-method compute units exactly once, cannot reach another tenant's node, deletes it and its process is gone; and
 * a kill -9 of blockchain-service neither loses nor doubles running nodes.
 */
@ExtendWith(Platform.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class NodesAndRpcE2ETest {

    /** anvil's well-known dev accounts (mnemonic "test test ... junk"). */
    private static final String[] DEV_KEYS = {
            "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80",
            "0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d",
            "0x5de4111afa1a4b94908f83103eb1f1706367c2e68ca870fc3fb9a804cdab365a"};
    private static final String RECIPIENT = "0x90F79bf6EB2c4f870365E785982E1f101E93b906";

    private static final ComputeUnits PRICES = ComputeUnits.shipped();

    /** A tenant with a key for nodes and JSON-RPC. */
    static Key rpcKey(Tenant t) {
        return Platform.createKey(t, "read", "write", "rpc");
    }

    static JsonNode awaitStatus(Key key, String nodeId, String status, Duration timeout) {
        return Platform.await("node " + nodeId + " " + status, timeout)
                .until(() -> gateway("GET", "/v1/nodes/" + nodeId, null, key.header()).json(),
                        node -> status.equals(node.path("status").asString()));
    }

    static String createLocalNode(Key key, String name) {
        Response r = gateway("POST", "/v1/nodes", "{\"name\":\"" + name + "\",\"network\":\"anvil\"}", key.header());
        assertThat(r.status()).as(r.body()).isEqualTo(202);
        return r.json().path("id").asString();
    }

    static String urlWithKey(Key key, String nodeId) {
        return "http://127.0.0.1:" + Platform.GATEWAY_PORT + "/rpc/" + key.key() + "/" + nodeId;
    }

    static String urlForHeader(String nodeId) {
        return "http://127.0.0.1:" + Platform.GATEWAY_PORT + "/v1/nodes/" + nodeId + "/rpc";
    }

    /**
     * How a WebSocket upgrade was refused: {@code "http <status>"} when the handshake was refused (by the gateway
     * itself, or by blockchain-service's admission check that the gateway makes before upgrading), or
     * {@code "closed <code>"} when it was upgraded and then closed without answering a call. Fails if the socket
     * answered.
     */
    static String webSocketRefusal(String url) throws Exception {
        java.util.concurrent.CompletableFuture<Integer> closed = new java.util.concurrent.CompletableFuture<>();
        java.util.concurrent.CompletableFuture<String> answered = new java.util.concurrent.CompletableFuture<>();
        java.net.http.WebSocket socket;
        try {
            socket = java.net.http.HttpClient.newHttpClient().newWebSocketBuilder()
                    .buildAsync(java.net.URI.create(url), new java.net.http.WebSocket.Listener() {
                        @Override
                        public java.util.concurrent.CompletionStage<?> onText(java.net.http.WebSocket ws,
                                CharSequence data, boolean last) {
                            answered.complete(data.toString());
                            return null;
                        }

                        @Override
                        public java.util.concurrent.CompletionStage<?> onClose(java.net.http.WebSocket ws, int code,
                                String reason) {
                            closed.complete(code);
                            return null;
                        }

                        @Override
                        public void onError(java.net.http.WebSocket ws, Throwable error) {
                            closed.complete(1006);
                        }
                    }).get(10, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            if (e.getCause() instanceof java.net.http.WebSocketHandshakeException refused) {
                return "http " + refused.getResponse().statusCode();
            }
            throw e;
        }
        try {
            socket.sendText("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"eth_blockNumber\",\"params\":[]}", true);
        } catch (RuntimeException e) {
            // Already closing.
        }
        int code = closed.get(10, TimeUnit.SECONDS);
        assertThat(answered.isDone()).as("a refused socket answers nothing").isFalse();
        socket.abort();
        return "closed " + code;
    }

    static Path pidFile(String nodeId) {
        return Platform.home().resolve("nodes").resolve(nodeId).resolve("anvil.pid");
    }

    static long pid(String nodeId) throws IOException {
        return Long.parseLong(Files.readString(pidFile(nodeId)).strip());
    }

    static long anvilProcessesFor(String nodeId) {
        return ProcessHandle.allProcesses().filter(p -> {
            try {
                return Files.readString(Path.of("/proc", Long.toString(p.pid()), "cmdline")).contains(nodeId);
            } catch (IOException e) {
                return false;
            }
        }).count();
    }

    /** Runs a command from the repository root; returns stdout, failing the test on a non-zero exit. */
    static String run(List<String> command) throws Exception {
        // Output goes to a file, not a pipe: a client that never exits (an open socket keeps node alive) must
        // fail this test after the timeout instead of blocking a read forever.
        java.nio.file.Path out = java.nio.file.Files.createTempFile("e2e-run", ".out");
        try {
            Process p = new ProcessBuilder(command).directory(Platform.root().toFile()).redirectErrorStream(true)
                    .redirectOutput(out.toFile()).start();
            boolean exited = p.waitFor(90, TimeUnit.SECONDS);
            if (!exited) {
                p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
            String output = java.nio.file.Files.readString(out, StandardCharsets.UTF_8);
            assertThat(exited).as("did not exit within 90 s: " + command.get(0) + "\n" + output).isTrue();
            assertThat(p.exitValue()).as(command.get(0) + " exited with " + p.exitValue() + "\n" + output).isZero();
            return output.strip();
        } finally {
            java.nio.file.Files.deleteIfExists(out);
        }
    }

    static final String ETHERS_SCRIPT = """
            const { ethers } = require('ethers');
            (async () => {
              const [byUrl, byHeader, key, pk, to] = process.argv.slice(1);
              const viaUrl = new ethers.JsonRpcProvider(byUrl, undefined, { staticNetwork: true });
              const request = new ethers.FetchRequest(byHeader);
              request.setHeader('X-API-Key', key);
              const viaHeader = new ethers.JsonRpcProvider(request, undefined, { staticNetwork: true });
              const before = await viaUrl.getBlockNumber();
              const sameViaHeader = await viaHeader.getBlockNumber();
              const wallet = new ethers.Wallet(pk, viaUrl);
              const tx = await wallet.sendTransaction({ to, value: 1n });
              const receipt = await tx.wait();
              const block = await viaHeader.getBlock(receipt.blockNumber);
              console.log(JSON.stringify({ before, sameViaHeader, status: receipt.status, block: receipt.blockNumber,
                                           txInBlock: block.transactions.includes(tx.hash) }));
              process.exit(0);
            })().catch(e => { console.error(e); process.exit(1); });
            setTimeout(() => { console.error('watchdog: no result within 60 s'); process.exit(3); }, 60000);
            """;

    /**
     * ethers v6 over WebSocket through the gateway: the key-in-URL form (what a browser must use) subscribes to new
     * blocks and sees the block of a transaction it sent over the same socket; the header form (the `ws` package can
     * send headers) answers the same chain. Every request frame either socket wrote and every subscription
     * notification it received is reported, so the test can price the session exactly.
     */
    static final String ETHERS_WS_SCRIPT = """
            const { ethers } = require('ethers');
            const WebSocket = require('ws');
            const frames = { sent: [], notifications: 0 };
            // A socket that records what billing sees: request frames written while open, notifications received.
            const metered = (url, options) => () => {
              const socket = new WebSocket(url, options);
              const send = socket.send.bind(socket);
              socket.send = (data, ...rest) => {
                if (socket.readyState === WebSocket.OPEN) {
                  const message = JSON.parse(data);
                  (Array.isArray(message) ? message : [message]).forEach(m => frames.sent.push(m.method));
                }
                return send(data, ...rest);
              };
              socket.on('message', (data) => {
                if (JSON.parse(data).method === 'eth_subscription') frames.notifications++;
              });
              return socket;
            };
            (async () => {
              const [byUrl, byHeader, key, pk, to] = process.argv.slice(1);
              const step = (what) => console.error(new Date().toISOString() + ' ' + what);
              const viaUrl = new ethers.WebSocketProvider(metered(byUrl));
              const viaHeader = new ethers.WebSocketProvider(metered(byHeader, { headers: { 'X-API-Key': key } }));
              const chainId = (await viaUrl.getNetwork()).chainId; step('network via URL form');
              const headViaHeader = await viaHeader.getBlockNumber(); step('block number via header form');
              const seen = [];
              let mined = null;
              let sawMined;
              const minedSeen = new Promise(resolve => { sawMined = resolve; });
              await viaUrl.on('block', (n) => {
                seen.push(n); step('block ' + n);
                if (n === mined) sawMined();
              });
              step('subscribed');
              // Same socket, answered in order: once this answer is back, the node has the subscription.
              await viaUrl.send('eth_blockNumber', []);
              const wallet = new ethers.Wallet(pk, viaUrl);
              const tx = await wallet.sendTransaction({ to, value: 1n }); step('sent');
              const receipt = await tx.wait(); step('receipt');
              mined = receipt.blockNumber;
              if (seen.includes(mined)) sawMined();
              await minedSeen; // bounded by the watchdog below
              // Frames on a socket arrive in order: once this answer is back, every notification sent before it is in.
              await viaUrl.send('eth_blockNumber', []);
              await viaUrl.destroy();
              await viaHeader.destroy();
              console.log(JSON.stringify({ chainId: chainId.toString(), headViaHeader, mined, seen,
                                           sent: frames.sent, notifications: frames.notifications }));
              // Open sockets would keep node running after the result is printed.
              process.exit(0);
            })().catch(e => { console.error(e); process.exit(1); });
            setTimeout(() => { console.error('watchdog: no result within 40 s'); process.exit(3); }, 40000);
            """;

    @Test
    @Order(1)
    void aTenantRunsALocalNodeUsesItWithEthersCastAndWeb3jIsBilledOnceAndDeletesIt() throws Exception {
        Tenant a = signup("nodes-a");
        Key aKey = rpcKey(a);
        long start = System.nanoTime();
        String node = createLocalNode(aKey, "dev chain");
        JsonNode running = awaitStatus(aKey, node, "RUNNING", Duration.ofSeconds(30));
        System.out.printf("E2E local node RUNNING after %d ms%n", (System.nanoTime() - start) / 1_000_000);
        long chainId = running.path("chainId").asLong();
        long nodePid = pid(node);
        assertThat(ProcessHandle.of(nodePid).map(ProcessHandle::isAlive)).hasValue(true);

        // ethers v6: both URL forms, a transfer, the block it landed in.
        JsonNode ethers = Platform.JSON.readTree(run(List.of("node", "-e", ETHERS_SCRIPT, urlWithKey(aKey, node),
                urlForHeader(node), aKey.key(), DEV_KEYS[0], RECIPIENT)));
        assertThat(ethers.path("sameViaHeader").asLong()).isGreaterThanOrEqualTo(ethers.path("before").asLong());
        assertThat(ethers.path("status").asInt()).isEqualTo(1);
        assertThat(ethers.path("txInBlock").asBoolean()).isTrue();

        // cast: both URL forms, and a transfer.
        String cast = Platform.root().resolve("node_modules/.bin/cast").toString();
        long castHead = Long.parseLong(run(List.of(cast, "block-number", "--rpc-url", urlWithKey(aKey, node))));
        long castHeadViaHeader = Long.parseLong(run(List.of(cast, "block-number", "--rpc-url", urlForHeader(node),
                "--rpc-headers", "X-API-Key: " + aKey.key())));
        assertThat(castHeadViaHeader).isGreaterThanOrEqualTo(castHead).isGreaterThanOrEqualTo(1);
        assertThat(run(List.of(cast, "chain-id", "--rpc-url", urlWithKey(aKey, node)))).isEqualTo(Long.toString(chainId));
        String sent = run(List.of(cast, "send", "--json", "--private-key", DEV_KEYS[1], "--rpc-url",
                urlWithKey(aKey, node), RECIPIENT, "--value", "1"));
        assertThat(Platform.JSON.readTree(sent).path("status").asString()).isIn("0x1", "1");

        // web3j: read blocks, send a transfer.
        Web3j web3 = Web3j.build(new HttpService(urlWithKey(aKey, node)));
        try {
            BigInteger head = web3.ethBlockNumber().send().getBlockNumber();
            EthBlock.Block block = web3.ethGetBlockByNumber(DefaultBlockParameter.valueOf(head), false).send()
                    .getBlock();
            assertThat(block.getNumber()).isEqualTo(head);
            TransactionReceipt receipt = new Transfer(web3, new RawTransactionManager(web3,
                    Credentials.create(DEV_KEYS[2]), chainId))
                    .sendFunds(RECIPIENT, BigDecimal.ONE, Convert.Unit.WEI).send();
            assertThat(receipt.isStatusOK()).isTrue();
            assertThat(web3.ethGetBalance(RECIPIENT, org.web3j.protocol.core.DefaultBlockParameterName.LATEST)
                    .send().getBalance()).isGreaterThanOrEqualTo(BigInteger.valueOf(3));
        } finally {
            web3.shutdown();
        }

        // WebSocket through the gateway (eth_subscribe newHeads), both URL forms; the frames are billed by
        // blockchain-service (route rpc-ws) on the same monthly counter.
        long beforeWs = Platform.computeUnitsThisPeriod(aKey);
        long wsStart = System.nanoTime();
        String[] wsLines = run(List.of("node", "-e", ETHERS_WS_SCRIPT, urlWithKey(aKey, node).replace("http://", "ws://"),
                urlForHeader(node).replace("http://", "ws://"), aKey.key(), DEV_KEYS[0], RECIPIENT)).split("\n");
        JsonNode ws = Platform.JSON.readTree(wsLines[wsLines.length - 1]);
        System.out.printf("E2E ethers WebSocketProvider: block %d seen via eth_subscribe, script took %d ms%n",
                ws.path("mined").asLong(), (System.nanoTime() - wsStart) / 1_000_000);
        assertThat(ws.path("chainId").asString()).isEqualTo(Long.toString(chainId));
        assertThat(ws.path("headViaHeader").asLong()).isGreaterThanOrEqualTo(1);
        List<Long> seen = new ArrayList<>();
        ws.path("seen").forEach(n -> seen.add(n.asLong()));
        assertThat(seen).as(ws.toString()).contains(ws.path("mined").asLong());
        // The script made no HTTP JSON-RPC call: the session costs its request frames at blockchain-service's prices
        // and one price per notification delivered. Each read of the counter costs one REST request more.
        List<String> frames = new ArrayList<>();
        ws.path("sent").forEach(m -> frames.add(m.asString()));
        assertThat(frames).as(ws.toString()).contains("eth_subscribe", "eth_sendRawTransaction");
        assertThat(ws.path("notifications").asLong()).as(ws.toString()).isPositive();
        long wsUnits = frames.stream().mapToLong(PRICES::webSocketCall).sum()
                + ws.path("notifications").asLong() * PRICES.webSocketNotification();
        AtomicLong reads = new AtomicLong();
        Platform.await("the WebSocket session's units on the monthly counter", Duration.ofSeconds(10))
                .until(() -> Platform.computeUnitsThisPeriod(aKey) - beforeWs
                        - reads.incrementAndGet() * PRICES.rest("tenant"), equalTo(wsUnits));
        System.out.printf("E2E WebSocket session billed %d compute units by blockchain-service (%s, %d notifications)%n",
                wsUnits, frames, ws.path("notifications").asLong());
        // A wrong key is refused at the upgrade, before anything reaches blockchain-service.
        assertThat(webSocketRefusal("ws://127.0.0.1:" + Platform.GATEWAY_PORT + "/rpc/"
                + "cmk_notAKeyAtAll/" + node)).isEqualTo("http 401");

        // A denied method is a JSON-RPC error in a 200.
        Response denied = gateway("POST", "/v1/nodes/" + node + "/rpc",
                "{\"jsonrpc\":\"2.0\",\"id\":9,\"method\":\"anvil_mine\",\"params\":[]}", aKey.header());
        assertThat(denied.status()).isEqualTo(200);
        assertThat(denied.json().path("error").path("code").asInt()).isEqualTo(-32601);

        // Billed once: a batch costs the sum of its methods' compute units, and the GET that reads the counter its own.
        long before = Platform.computeUnitsThisPeriod(aKey);
        Response batch = gateway("POST", "/v1/nodes/" + node + "/rpc",
                "[{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"eth_blockNumber\",\"params\":[]},"
                        + "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"eth_call\",\"params\":[{\"to\":\"" + RECIPIENT
                        + "\",\"data\":\"0x\"},\"latest\"]}]", aKey.header());
        assertThat(batch.json().size()).isEqualTo(2);
        assertThat(Platform.computeUnitsThisPeriod(aKey) - before)
                .isEqualTo(PRICES.rpc("eth_blockNumber") + PRICES.rpc("eth_call") + PRICES.rest("tenant"));

        // Tenant B sees nothing of it.
        Key bKey = rpcKey(signup("nodes-b"));
        assertThat(gateway("GET", "/v1/nodes/" + node, null, bKey.header()).status()).isEqualTo(404);
        assertThat(Platform.send("POST", urlWithKey(bKey, node),
                "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"eth_blockNumber\",\"params\":[]}").status())
                .isEqualTo(404);
        String foreignSocket = webSocketRefusal(urlWithKey(bKey, node).replace("http://", "ws://"));
        System.out.println("E2E WebSocket to another tenant's node through the gateway: " + foreignSocket);
        assertThat(foreignSocket).isEqualTo("http 404");

        // Revoking a key closes the sockets it opened (tenant-service's api_key.revoked reaches blockchain-service
        // through chainmesh.tenant); the gateway checked the key only on the upgrade.
        Key spare = Platform.createKey(a, "rpc");
        java.util.concurrent.CompletableFuture<Integer> revokedClose = new java.util.concurrent.CompletableFuture<>();
        java.net.http.WebSocket revocable = java.net.http.HttpClient.newHttpClient().newWebSocketBuilder()
                .buildAsync(java.net.URI.create("ws://127.0.0.1:" + Platform.GATEWAY_PORT + "/rpc/"
                        + spare.key() + "/" + node), new java.net.http.WebSocket.Listener() {
                            @Override
                            public java.util.concurrent.CompletionStage<?> onClose(java.net.http.WebSocket ws,
                                    int code, String reason) {
                                revokedClose.complete(code);
                                return null;
                            }

                            @Override
                            public void onError(java.net.http.WebSocket ws, Throwable error) {
                                revokedClose.completeExceptionally(error);
                            }
                        }).get(10, TimeUnit.SECONDS);
        long revokedAt = System.nanoTime();
        assertThat(gateway("DELETE", "/v1/api-keys/" + spare.id(), null, a.bearer()).status()).isEqualTo(204);
        assertThat(revokedClose.get(10, TimeUnit.SECONDS)).as("policy violation close").isEqualTo(1008);
        System.out.printf("E2E open WebSocket closed %d ms after its key was revoked%n",
                (System.nanoTime() - revokedAt) / 1_000_000);
        revocable.abort();
        // The free plan runs one node.
        Response second = gateway("POST", "/v1/nodes", "{\"name\":\"two\",\"network\":\"anvil\"}", aKey.header());
        assertThat(second.status()).as(second.body()).isEqualTo(403);
        assertThat(second.json().path("code").asString()).isEqualTo("node_quota_exceeded");

        assertThat(gateway("DELETE", "/v1/nodes/" + node, null, aKey.header()).status()).isEqualTo(202);
        awaitStatus(aKey, node, "DELETED", Duration.ofSeconds(30));
        assertThat(ProcessHandle.of(nodePid).map(ProcessHandle::isAlive).orElse(false)).isFalse();
        assertThat(anvilProcessesFor(node)).isZero();

        // The key in the URL reached no log.
        try (var logs = Files.list(Platform.home().resolve("logs"))) {
            for (Path log : logs.toList()) {
                assertThat(Files.readString(log)).as(log.toString()).doesNotContain(aKey.key()).doesNotContain(bKey.key());
            }
        }
    }

    @Test
    @Order(2)
    void killingBlockchainServiceNeitherLosesNorDoublesRunningNodes() throws Exception {
        Tenant c = signup("nodes-c");
        Key cKey = rpcKey(c);
        Response changed = gateway("PUT", "/v1/admin/tenants/" + c.id() + "/plan", "{\"plan\":\"developer\"}",
                "Authorization", "Bearer " + Platform.operatorToken());
        assertThat(changed.status()).as(changed.body()).isEqualTo(200);
        // The gateway applies the plan it has cached for the key (at most 5 s old): wait until it shows the new one.
        long developerBurst = 0;
        for (JsonNode plan : gateway("GET", "/v1/plans", null).json().path("plans")) {
            if (plan.path("id").asString().equals("developer")) {
                developerBurst = plan.path("burst").asLong();
            }
        }
        assertThat(developerBurst).isPositive();
        Platform.await("the gateway applying the developer plan", Duration.ofSeconds(6))
                .until(() -> gateway("GET", "/v1/tenant", null, cKey.header()).header("RateLimit-Limit"),
                        equalTo(Long.toString(developerBurst)));
        List<String> nodes = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            nodes.add(createLocalNode(cKey, "survivor-" + i));
        }
        List<Long> pids = new ArrayList<>();
        for (String node : nodes) {
            awaitStatus(cKey, node, "RUNNING", Duration.ofSeconds(30));
            pids.add(pid(node));
        }
        long servicePid = Long.parseLong(Files.readString(Platform.home().resolve("pids/blockchain.pid")).strip());
        ProcessHandle service = ProcessHandle.of(servicePid).orElseThrow();
        new ProcessBuilder("kill", "-9", Long.toString(servicePid)).start().waitFor();
        service.onExit().get(10, TimeUnit.SECONDS);

        long restartAt = System.nanoTime();
        assertThat(Platform.chainmesh("up", Duration.ofMinutes(3))).isZero();
        for (int i = 0; i < nodes.size(); i++) {
            awaitStatus(cKey, nodes.get(i), "RUNNING", Duration.ofSeconds(30));
            assertThat(pid(nodes.get(i))).as("adopted, not restarted").isEqualTo(pids.get(i));
            assertThat(anvilProcessesFor(nodes.get(i))).as("one process per node").isEqualTo(1);
            Response head = Platform.send("POST", urlWithKey(cKey, nodes.get(i)),
                    "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"eth_blockNumber\",\"params\":[]}");
            assertThat(head.json().has("result")).as(head.body()).isTrue();
        }
        System.out.printf("E2E after kill -9: both nodes RUNNING and answering %d ms after `up` began%n",
                (System.nanoTime() - restartAt) / 1_000_000);
        JsonNode list = gateway("GET", "/v1/nodes", null, cKey.header()).json();
        assertThat(list.path("items").size()).isEqualTo(2);
        for (String node : nodes) {
            assertThat(gateway("DELETE", "/v1/nodes/" + node, null, cKey.header()).status()).isEqualTo(202);
        }
        for (String node : nodes) {
            awaitStatus(cKey, node, "DELETED", Duration.ofSeconds(30));
            assertThat(anvilProcessesFor(node)).isZero();
        }
    }
}
