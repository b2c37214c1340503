package io.chainmesh.e2e;

import static io.chainmesh.e2e.Platform.gateway;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.time.Duration;
import java.util.UUID;
import java.util.function.Predicate;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

import io.chainmesh.e2e.Platform.Response;
import tools.jackson.databind.JsonNode;

/**
 * Contracts only through the gateway and across the real services: a tenant creates a local anvil node
 * (blockchain-service), imports the node's funded dev account as a wallet, registers the ERC-20 Hardhat artifact,
 * deploys it with {@code ?confirm=true}, sends a transfer, reads the new balance, sees the Transfer event in its
 * subscription, and sees a reverting send's decoded reason on the transaction resource.
 */
@ExtendWith(Platform.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ContractsE2ETest {

    /** anvil's well-known dev account #0, funded on every fresh anvil node. */
    private static final String DEV_KEY_0 = "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80";
    private static final String DEAD = "0x000000000000000000000000000000000000dEaD";

    private static String auth;
    private static String nodeId;
    private static String walletId;
    private static String walletAddress;
    private static String instanceId;
    private static String subscriptionId;

    @BeforeAll
    static void tenantWithARunningNode() throws Exception {
        auth = "Bearer " + Platform.fullKey(Platform.signup("contracts")).key();
        Response node = gateway("POST", "/v1/nodes", "{\"name\":\"e2e-anvil\",\"network\":\"anvil\",\"driver\":\"local\"}",
                "Authorization", auth);
        assertThat(node.status()).as(node.body()).isEqualTo(202);
        nodeId = node.json().path("id").asString();
        JsonNode running = poll("/v1/nodes/" + nodeId, Duration.ofSeconds(60), n -> n.path("status").asString().equals("RUNNING"));
        assertThat(running.path("chainId").asLong()).isPositive();
    }

    @Test
    @Order(1)
    void walletArtifactDeployTransferBalanceAndEvent() throws Exception {
        Response wallet = gateway("POST", "/v1/wallets", "{\"name\":\"dev0\",\"privateKey\":\"" + DEV_KEY_0 + "\"}", "Authorization", auth);
        assertThat(wallet.status()).as(wallet.body()).isEqualTo(201);
        assertThat(wallet.body()).doesNotContain(DEV_KEY_0.substring(2));
        walletId = wallet.json().path("id").asString();
        walletAddress = wallet.json().path("address").asString();

        String artifact = Files.readString(Platform.root().resolve("contract-service/src/test/resources/contracts/ChainmeshToken.hardhat.json"));
        Response contract = gateway("POST", "/v1/contracts", "{\"artifact\":" + artifact + "}", "Authorization", auth);
        assertThat(contract.status()).as(contract.body()).isEqualTo(201);

        Response deploy = gateway("POST", "/v1/contracts/" + contract.json().path("id").asString() + "/deploy?confirm=true",
                "{\"nodeId\":\"" + nodeId + "\",\"walletId\":\"" + walletId + "\",\"args\":[\"Chainmesh\",\"CMT\",\"1000000\"]}",
                "Authorization", auth);
        assertThat(deploy.status()).as(deploy.body()).isEqualTo(200);
        assertThat(deploy.json().path("status").asString()).isEqualTo("Succeeded");
        assertThat(deploy.json().path("transaction").path("status").asString()).isEqualTo("CONFIRMED");
        instanceId = deploy.json().path("instance").path("id").asString();

        Response sub = gateway("POST", "/v1/subscriptions",
                "{\"instanceId\":\"" + instanceId + "\",\"event\":\"Transfer\",\"fromBlock\":\"earliest\",\"filters\":{\"to\":\"" + DEAD + "\"}}",
                "Authorization", auth);
        assertThat(sub.status()).as(sub.body()).isEqualTo(201);
        subscriptionId = sub.json().path("id").asString();

        Response send = gateway("POST", "/v1/instances/" + instanceId + "/send/transfer",
                "{\"walletId\":\"" + walletId + "\",\"args\":[\"" + DEAD + "\",\"250\"]}",
                "Authorization", auth, "Idempotency-Key", "e2e-" + UUID.randomUUID());
        assertThat(send.status()).as(send.body()).isEqualTo(202);
        String txId = send.json().path("id").asString();
        JsonNode confirmed = poll("/v1/transactions/" + txId, Duration.ofSeconds(30),
                tx -> tx.path("status").asString().equals("CONFIRMED"));
        assertThat(confirmed.path("from").asString()).isEqualTo(walletAddress);

        Response balance = gateway("POST", "/v1/instances/" + instanceId + "/call/balanceOf", "{\"args\":[\"" + DEAD + "\"]}",
                "Authorization", auth);
        assertThat(balance.status()).as(balance.body()).isEqualTo(200);
        assertThat(balance.json().path("outputs").path("0").asString()).isEqualTo("250");

        JsonNode events = poll("/v1/subscriptions/" + subscriptionId + "/events", Duration.ofSeconds(30),
                e -> e.path("items").size() >= 1);
        JsonNode transfer = events.path("items").get(0);
        assertThat(transfer.path("event").asString()).isEqualTo("Transfer");
        assertThat(transfer.path("args").path("to").asString()).isEqualTo(DEAD);
        assertThat(transfer.path("args").path("value").asString()).isEqualTo("250");
        assertThat(transfer.path("transactionHash").asString()).isEqualTo(confirmed.path("hash").asString());
    }

    @Test
    @Order(2)
    void aRevertingSendShowsItsDecodedReasonOnTheTransaction() throws Exception {
        Response send = gateway("POST", "/v1/instances/" + instanceId + "/send/transfer",
                "{\"walletId\":\"" + walletId + "\",\"args\":[\"" + DEAD + "\",\"999999999\"]}", "Authorization", auth);
        assertThat(send.status()).as(send.body()).isEqualTo(202);
        JsonNode tx = gateway("GET", "/v1/transactions/" + send.json().path("id").asString(), null, "Authorization", auth).json();
        assertThat(tx.path("status").asString()).isEqualTo("FAILED");
        assertThat(tx.path("revertReason").asString()).startsWith("InsufficientBalance(account=" + walletAddress);
        assertThat(tx.path("revert").path("kind").asString()).isEqualTo("custom");
    }

    @Test
    @Order(3)
    void anotherTenantCannotSeeTheInstanceOrTransactions() {
        String otherAuth = "Bearer " + Platform.fullKey(Platform.signup("contracts-other")).key();
        assertThat(gateway("GET", "/v1/instances/" + instanceId, null, "Authorization", otherAuth).status()).isEqualTo(404);
        assertThat(gateway("GET", "/v1/wallets/" + walletId, null, "Authorization", otherAuth).status()).isEqualTo(404);
        assertThat(gateway("GET", "/v1/subscriptions/" + subscriptionId + "/events", null, "Authorization", otherAuth).status()).isEqualTo(404);
    }

    /** Polls {@code GET path} until it answers 200 with a body {@code done} accepts. */
    private static JsonNode poll(String path, Duration timeout, Predicate<JsonNode> done) {
        return Platform.await("GET " + path, timeout)
                .until(() -> gateway("GET", path, null, "Authorization", auth), r -> r.status() == 200 && done.test(r.json()))
                .json();
    }
}
