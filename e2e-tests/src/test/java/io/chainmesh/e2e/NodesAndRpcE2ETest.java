package io.chainmesh.e2e;

import static io.chainmesh.e2e.Platform.gateway;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

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

import io.chainmesh.e2e.Platform.Response;
import tools.jackson.databind.JsonNode;

/**
 * Nodes and the JSON-RPC endpoint end to end through the gateway (issue 3): a tenant creates a local (anvil) node,
 * reads and writes it with ethers v6 (HTTP and WebSocket subscriptions), cast and web3j through both URL forms, is
 * billed the per-method compute units once, cannot reach another tenant's node, deletes it and its process is gone; and a kill -9 of
 * blockchain-service neither loses nor doubles running nodes.
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

    record Tenant(String id, String jwt, String key) {
    }

    static Tenant tenant(String name) {
        String email = name + "-" + UUID.randomUUID().toString().substring(0, 8) + "@e2e.test";
        String password = "pw-" + UUID.randomUUID();
        Response created = gateway("POST", "/v1/signup",
                "{\"tenantName\":\"" + name + "\",\"email\":\"" + email + "\",\"password\":\"" + password + "\"}");
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        String jwt = gateway("POST", "/v1/auth/token", "{\"email\":\"" + email + "\",\"password\":\"" + password
                + "\"}").json().path("access_token").asString();
        Response key = gateway("POST", "/v1/api-keys", "{\"name\":\"rpc\",\"scopes\":[\"read\",\"write\",\"rpc\"]}",
                "Authorization", "Bearer " + jwt);
        assertThat(key.status()).as(key.body()).isEqualTo(201);
        return new Tenant(created.json().path("tenant").path("id").asString(), jwt, key.json().path("key").asString());
    }

    static JsonNode awaitStatus(Tenant t, String nodeId, String status, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        JsonNode node;
        do {
            node = gateway("GET", "/v1/nodes/" + nodeId, null, "X-API-Key", t.key()).json();
            if (status.equals(node.path("status").asString())) {
                return node;
            }
            Thread.sleep(200);
        } while (System.nanoTime() < deadline);
        throw new AssertionError("node not " + status + " within " + timeout + ": " + node);
    }

    static String createLocalNode(Tenant t, String name) {
        Response r = gateway("POST", "/v1/nodes", "{\"name\":\"" + name + "\",\"network\":\"anvil\"}",
                "X-API-Key", t.key());
        assertThat(r.status()).as(r.body()).isEqualTo(202);
        return r.json().path("id").asString();
    }

    static String urlWithKey(Tenant t, String nodeId) {
        return "http://127.0.0.1:" + Platform.GATEWAY_PORT + "/rpc/" + t.key() + "/" + nodeId;
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
     * send headers) answers the same chain.
     */
    static final String ETHERS_WS_SCRIPT = """
            const { ethers } = require('ethers');
            const WebSocket = require('ws');
            (async () => {
              const [byUrl, byHeader, key, pk, to] = process.argv.slice(1);
              const step = (what) => console.error(new Date().toISOString() + ' ' + what);
              const viaUrl = new ethers.WebSocketProvider(byUrl);
              const viaHeader = new ethers.WebSocketProvider(
                  () => new WebSocket(byHeader, { headers: { 'X-API-Key': key } }));
              const chainId = (await viaUrl.getNetwork()).chainId; step('network via URL form');
              const headViaHeader = await viaHeader.getBlockNumber(); step('block number via header form');
              const seen = [];
              await viaUrl.on('block', (n) => { seen.push(n); step('block ' + n); }); step('subscribed');
              // Same socket, answered in order: once this answer is back, the node has the subscription.
              await viaUrl.send('eth_blockNumber', []);
              const wallet = new ethers.Wallet(pk, viaUrl);
              const tx = await wallet.sendTransaction({ to, value: 1n }); step('sent');
              const receipt = await tx.wait(); step('receipt');
              const deadline = Date.now() + 15000;
              while (!seen.includes(receipt.blockNumber) && Date.now() < deadline) {
                await new Promise(r => setTimeout(r, 50));
              }
              await viaUrl.destroy();
              await viaHeader.destroy();
              console.log(JSON.stringify({ chainId: chainId.toString(), headViaHeader, mined: receipt.blockNumber,
                                           seen }));
              // Open sockets would keep node running after the result is printed.
              process.exit(0);
            })().catch(e => { console.error(e); process.exit(1); });
            setTimeout(() => { console.error('watchdog: no result within 40 s'); process.exit(3); }, 40000);
            """;

    @Test
    @Order(1)
    void aTenantRunsALocalNodeUsesItWithEthersCastAndWeb3jIsBilledOnceAndDeletesIt() throws Exception {
        Tenant a = tenant("nodes-a");
        long start = System.nanoTime();
        String node = createLocalNode(a, "dev chain");
        JsonNode running = awaitStatus(a, node, "RUNNING", Duration.ofSeconds(30));
        System.out.printf("E2E local node RUNNING after %d ms%n", (System.nanoTime() - start) / 1_000_000);
        long chainId = running.path("chainId").asLong();
        long nodePid = pid(node);
        assertThat(ProcessHandle.of(nodePid).map(ProcessHandle::isAlive)).hasValue(true);

        // ethers v6: both URL forms, a transfer, the block it landed in.
        JsonNode ethers = Platform.JSON.readTree(run(List.of("node", "-e", ETHERS_SCRIPT, urlWithKey(a, node),
                urlForHeader(node), a.key(), DEV_KEYS[0], RECIPIENT)));
        assertThat(ethers.path("sameViaHeader").asLong()).isGreaterThanOrEqualTo(ethers.path("before").asLong());
        assertThat(ethers.path("status").asInt()).isEqualTo(1);
        assertThat(ethers.path("txInBlock").asBoolean()).isTrue();

        // cast: both URL forms, and a transfer.
        String cast = Platform.root().resolve("node_modules/.bin/cast").toString();
        long castHead = Long.parseLong(run(List.of(cast, "block-number", "--rpc-url", urlWithKey(a, node))));
        long castHeadViaHeader = Long.parseLong(run(List.of(cast, "block-number", "--rpc-url", urlForHeader(node),
                "--rpc-headers", "X-API-Key: " + a.key())));
        assertThat(castHeadViaHeader).isGreaterThanOrEqualTo(castHead).isGreaterThanOrEqualTo(1);
        assertThat(run(List.of(cast, "chain-id", "--rpc-url", urlWithKey(a, node)))).isEqualTo(Long.toString(chainId));
        String sent = run(List.of(cast, "send", "--json", "--private-key", DEV_KEYS[1], "--rpc-url",
                urlWithKey(a, node), RECIPIENT, "--value", "1"));
        assertThat(Platform.JSON.readTree(sent).path("status").asString()).isIn("0x1", "1");

        // web3j: read blocks, send a transfer.
        Web3j web3 = Web3j.build(new HttpService(urlWithKey(a, node)));
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
        long beforeWs = gateway("GET", "/v1/tenant", null, "X-API-Key", a.key()).json().path("usage")
                .path("computeUnitsThisPeriod").asLong();
        long wsStart = System.nanoTime();
        List<String> wsCommand = List.of("node", "-e", ETHERS_WS_SCRIPT,
                urlWithKey(a, node).replace("http://", "ws://"), urlForHeader(node).replace("http://", "ws://"),
                a.key(), DEV_KEYS[0], RECIPIENT);
        String wsOutput;
        try {
            wsOutput = run(wsCommand);
        } catch (AssertionError firstAttempt) {
            // Real clients reconnect a socket that stopped answering; one CI run saw this client stall once (not
            // reproduced locally), so a second fresh connection is allowed and the first attempt's steps are shown.
            System.out.println("E2E WebSocket client attempt 1 failed, reconnecting once: " + firstAttempt.getMessage());
            wsOutput = run(wsCommand);
        }
        String[] wsLines = wsOutput.split("\n");
        JsonNode ws = Platform.JSON.readTree(wsLines[wsLines.length - 1]);
        System.out.printf("E2E ethers WebSocketProvider: block %d seen via eth_subscribe, script took %d ms%n",
                ws.path("mined").asLong(), (System.nanoTime() - wsStart) / 1_000_000);
        assertThat(ws.path("chainId").asString()).isEqualTo(Long.toString(chainId));
        assertThat(ws.path("headViaHeader").asLong()).isGreaterThanOrEqualTo(1);
        List<Long> seen = new ArrayList<>();
        ws.path("seen").forEach(n -> seen.add(n.asLong()));
        assertThat(seen).as(ws.toString()).contains(ws.path("mined").asLong());
        Thread.sleep(1500); // sockets flush their units once a second
        long afterWs = gateway("GET", "/v1/tenant", null, "X-API-Key", a.key()).json().path("usage")
                .path("computeUnitsThisPeriod").asLong();
        // The script made no HTTP JSON-RPC call: all of this is WebSocket frames (at least eth_subscribe 10,
        // eth_sendRawTransaction 40 and one notification 1) plus the GET /v1/tenant that read it (1).
        assertThat(afterWs - beforeWs).isGreaterThanOrEqualTo(52);
        System.out.printf("E2E WebSocket session billed %d compute units by blockchain-service%n", afterWs - beforeWs - 1);
        // A wrong key is refused at the upgrade, before anything reaches blockchain-service.
        assertThat(webSocketRefusal("ws://127.0.0.1:" + Platform.GATEWAY_PORT + "/rpc/"
                + "cmk_notAKeyAtAll/" + node)).isEqualTo("http 401");

        // A denied method is a JSON-RPC error in a 200.
        Response denied = gateway("POST", "/v1/nodes/" + node + "/rpc",
                "{\"jsonrpc\":\"2.0\",\"id\":9,\"method\":\"anvil_mine\",\"params\":[]}", "X-API-Key", a.key());
        assertThat(denied.status()).isEqualTo(200);
        assertThat(denied.json().path("error").path("code").asInt()).isEqualTo(-32601);

        // Billed once: a batch costs the sum of its methods' compute units (eth_blockNumber 10 + eth_call 26), and
        // the GET that reads the counter costs 1.
        long before = gateway("GET", "/v1/tenant", null, "X-API-Key", a.key()).json().path("usage")
                .path("computeUnitsThisPeriod").asLong();
        Response batch = gateway("POST", "/v1/nodes/" + node + "/rpc",
                "[{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"eth_blockNumber\",\"params\":[]},"
                        + "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"eth_call\",\"params\":[{\"to\":\"" + RECIPIENT
                        + "\",\"data\":\"0x\"},\"latest\"]}]", "X-API-Key", a.key());
        assertThat(batch.json().size()).isEqualTo(2);
        long after = gateway("GET", "/v1/tenant", null, "X-API-Key", a.key()).json().path("usage")
                .path("computeUnitsThisPeriod").asLong();
        assertThat(after - before).isEqualTo(36 + 1);

        // Tenant B sees nothing of it.
        Tenant b = tenant("nodes-b");
        assertThat(gateway("GET", "/v1/nodes/" + node, null, "X-API-Key", b.key()).status()).isEqualTo(404);
        assertThat(Platform.send("POST", urlWithKey(b, node),
                "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"eth_blockNumber\",\"params\":[]}").status())
                .isEqualTo(404);
        String foreignSocket = webSocketRefusal(urlWithKey(b, node).replace("http://", "ws://"));
        System.out.println("E2E WebSocket to another tenant's node through the gateway: " + foreignSocket);
        assertThat(foreignSocket).isEqualTo("http 404");

        // Revoking a key closes the sockets it opened (tenant-service's api_key.revoked reaches blockchain-service
        // through chainmesh.tenant); the gateway checked the key only on the upgrade.
        Response spare = gateway("POST", "/v1/api-keys", "{\"name\":\"ws\",\"scopes\":[\"rpc\"]}",
                "Authorization", "Bearer " + a.jwt());
        assertThat(spare.status()).as(spare.body()).isEqualTo(201);
        java.util.concurrent.CompletableFuture<Integer> revokedClose = new java.util.concurrent.CompletableFuture<>();
        java.net.http.WebSocket revocable = java.net.http.HttpClient.newHttpClient().newWebSocketBuilder()
                .buildAsync(java.net.URI.create("ws://127.0.0.1:" + Platform.GATEWAY_PORT + "/rpc/"
                        + spare.json().path("key").asString() + "/" + node), new java.net.http.WebSocket.Listener() {
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
        assertThat(gateway("DELETE", "/v1/api-keys/" + spare.json().path("id").asString(), null,
                "Authorization", "Bearer " + a.jwt()).status()).isEqualTo(204);
        assertThat(revokedClose.get(10, TimeUnit.SECONDS)).as("policy violation close").isEqualTo(1008);
        System.out.printf("E2E open WebSocket closed %d ms after its key was revoked%n",
                (System.nanoTime() - revokedAt) / 1_000_000);
        revocable.abort();
        // The free plan runs one node.
        Response second = gateway("POST", "/v1/nodes", "{\"name\":\"two\",\"network\":\"anvil\"}",
                "X-API-Key", a.key());
        assertThat(second.status()).as(second.body()).isEqualTo(403);
        assertThat(second.json().path("code").asString()).isEqualTo("node_quota_exceeded");

        assertThat(gateway("DELETE", "/v1/nodes/" + node, null, "X-API-Key", a.key()).status()).isEqualTo(202);
        awaitStatus(a, node, "DELETED", Duration.ofSeconds(30));
        assertThat(ProcessHandle.of(nodePid).map(ProcessHandle::isAlive).orElse(false)).isFalse();
        assertThat(anvilProcessesFor(node)).isZero();

        // The key in the URL reached no log.
        try (var logs = Files.list(Platform.home().resolve("logs"))) {
            for (Path log : logs.toList()) {
                assertThat(Files.readString(log)).as(log.toString()).doesNotContain(a.key()).doesNotContain(b.key());
            }
        }
    }

    @Test
    @Order(2)
    void killingBlockchainServiceNeitherLosesNorDoublesRunningNodes() throws Exception {
        Tenant c = tenant("nodes-c");
        String operator = gateway("POST", "/v1/auth/token", "{\"email\":\"" + Platform.OPERATOR_EMAIL
                + "\",\"password\":\"" + Platform.OPERATOR_PASSWORD + "\"}").json().path("access_token").asString();
        assertThat(gateway("PUT", "/v1/admin/tenants/" + c.id() + "/plan", "{\"plan\":\"developer\"}",
                "Authorization", "Bearer " + operator).status()).isEqualTo(200);
        Thread.sleep(5500); // the gateway caches the tenant's limits for 5 s
        List<String> nodes = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            nodes.add(createLocalNode(c, "survivor-" + i));
        }
        List<Long> pids = new ArrayList<>();
        for (String node : nodes) {
            awaitStatus(c, node, "RUNNING", Duration.ofSeconds(30));
            pids.add(pid(node));
        }
        long servicePid = Long.parseLong(Files.readString(Platform.home().resolve("pids/blockchain.pid")).strip());
        ProcessHandle service = ProcessHandle.of(servicePid).orElseThrow();
        new ProcessBuilder("kill", "-9", Long.toString(servicePid)).start().waitFor();
        service.onExit().get(10, TimeUnit.SECONDS);

        long restartAt = System.nanoTime();
        assertThat(Platform.chainmesh("up", Duration.ofMinutes(3))).isZero();
        for (int i = 0; i < nodes.size(); i++) {
            awaitStatus(c, nodes.get(i), "RUNNING", Duration.ofSeconds(30));
            assertThat(pid(nodes.get(i))).as("adopted, not restarted").isEqualTo(pids.get(i));
            assertThat(anvilProcessesFor(nodes.get(i))).as("one process per node").isEqualTo(1);
            Response head = Platform.send("POST", urlWithKey(c, nodes.get(i)),
                    "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"eth_blockNumber\",\"params\":[]}");
            assertThat(head.json().has("result")).as(head.body()).isTrue();
        }
        System.out.printf("E2E after kill -9: both nodes RUNNING and answering %d ms after `up` began%n",
                (System.nanoTime() - restartAt) / 1_000_000);
        JsonNode list = gateway("GET", "/v1/nodes", null, "X-API-Key", c.key()).json();
        assertThat(list.path("items").size()).isEqualTo(2);
        for (String node : nodes) {
            gateway("DELETE", "/v1/nodes/" + node, null, "X-API-Key", c.key());
        }
        for (String node : nodes) {
            awaitStatus(c, node, "DELETED", Duration.ofSeconds(30));
            assertThat(anvilProcessesFor(node)).isZero();
        }
    }
}
