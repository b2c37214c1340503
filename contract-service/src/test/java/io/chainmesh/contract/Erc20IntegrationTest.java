package io.chainmesh.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;

import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.springframework.test.web.servlet.MvcResult;

import tools.jackson.databind.JsonNode;

/** The ERC-20 life: deploy a Hardhat artifact, send transfers, read balances, receive Transfer events. */
class Erc20IntegrationTest extends ContractServiceTestBase {

    @Test
    void deployTransferBalanceAndTransferEventEndToEnd() {
        Tenant t = newTenant();
        String contractId = registerArtifact(t, "ChainmeshToken.hardhat.json");
        String instanceId = deploy(t, contractId, "[\"Chainmesh\", \"CMT\", \"1000000000000000000000000\"]");
        JsonNode instance = getJson("/v1/instances/" + instanceId, t.token());
        assertThat(instance.get("status").asString()).isEqualTo("DEPLOYED");

        JsonNode sub = expect(201, post("/v1/subscriptions"), t.token(),
                "{\"instanceId\":\"" + instanceId + "\",\"event\":\"Transfer\",\"fromBlock\":\"earliest\"}");
        String to = "0x000000000000000000000000000000000000dEaD";
        JsonNode tx = sendConfirmed(t, instanceId, "transfer", "[\"" + to + "\", \"1234567890123456789012\"]");
        assertThat(tx.get("status").asString()).isEqualTo("CONFIRMED");
        assertThat(tx.get("nonce").asLong()).isEqualTo(1);
        assertThat(tx.get("blockNumber").isNumber()).isTrue();

        JsonNode balance = call(t, instanceId, "balanceOf", "[\"" + to + "\"]");
        assertThat(balance.get("outputs").get("0").asString()).isEqualTo("1234567890123456789012");
        assertThat(call(t, instanceId, "decimals", "[]").get("outputs").get("0").asInt()).isEqualTo(18);

        JsonNode events = await("/v1/subscriptions/" + sub.get("id").asString() + "/events", t.token(), Duration.ofSeconds(10),
                e -> e.get("items").size() >= 2);
        JsonNode transfer = events.get("items").get(1);
        assertThat(transfer.get("event").asString()).isEqualTo("Transfer");
        assertThat(transfer.get("args").get("from").asString()).isEqualTo(t.address());
        assertThat(transfer.get("args").get("to").asString()).isEqualTo(to);
        assertThat(transfer.get("args").get("value").asString()).isEqualTo("1234567890123456789012");
        assertThat(transfer.get("transactionHash").asString()).isEqualTo(tx.get("hash").asString());
        assertThat(transfer.get("removed").asBoolean()).isFalse();
    }

    @Test
    void aTransferBeyondTheBalanceIsFailedWithTheDecodedCustomError() {
        Tenant t = newTenant();
        String instanceId = deploy(t, registerArtifact(t, "ChainmeshToken.hardhat.json"), "[\"T\", \"T\", 100]");
        JsonNode tx = expect(202, post("/v1/instances/" + instanceId + "/send/transfer"), t.token(),
                "{\"walletId\":\"" + t.walletId() + "\",\"args\":{\"to\":\"0x000000000000000000000000000000000000dEaD\",\"value\":101}}");
        assertThat(tx.get("status").asString()).isEqualTo("FAILED");
        assertThat(tx.get("nonce").isNull()).isTrue();
        JsonNode stored = getJson("/v1/transactions/" + tx.get("id").asString(), t.token());
        assertThat(stored.get("revertReason").asString())
                .isEqualTo("InsufficientBalance(account=" + t.address() + ", balance=100, needed=101)");
        assertThat(stored.get("revert").get("kind").asString()).isEqualTo("custom");
        assertThat(stored.get("revert").get("signature").asString()).isEqualTo("InsufficientBalance(address,uint256,uint256)");
    }

    @Test
    void anIdempotentRetryGetsTheSameResponseAndADifferentBodyIs422() {
        Tenant t = newTenant();
        String instanceId = deploy(t, registerArtifact(t, "ChainmeshToken.hardhat.json"), "[\"T\", \"T\", 1000]");
        String body = "{\"walletId\":\"" + t.walletId() + "\",\"args\":[\"0x000000000000000000000000000000000000dEaD\", 5]}";
        MvcResult first = exchange(post("/v1/instances/" + instanceId + "/send/transfer").header("Idempotency-Key", "k-1"), t.token(), body);
        MvcResult again = exchange(post("/v1/instances/" + instanceId + "/send/transfer").header("Idempotency-Key", "k-1"), t.token(),
                "{\"args\":[\"0x000000000000000000000000000000000000dEaD\", 5], \"walletId\":\"" + t.walletId() + "\"}");
        assertThat(first.getResponse().getStatus()).isEqualTo(202);
        assertThat(again.getResponse().getStatus()).isEqualTo(202);
        assertThat(bodyOf(again)).isEqualTo(bodyOf(first));
        assertThat(again.getResponse().getHeader("Idempotent-Replayed")).isEqualTo("true");

        JsonNode conflict = expect(422, post("/v1/instances/" + instanceId + "/send/transfer").header("Idempotency-Key", "k-1"),
                t.token(), body.replace(", 5]", ", 6]"));
        assertThat(conflict.get("code").asString()).isEqualTo("idempotency_key_reused");

        JsonNode txs = getJson("/v1/transactions?instanceId=" + instanceId, t.token());
        assertThat(txs.get("items").valueStream().filter(tx -> tx.get("kind").asString().equals("send")).count()).isEqualTo(1);
        await("/v1/transactions/" + JSON.readTree(bodyOf(first)).get("id").asString(), t.token(), Duration.ofSeconds(10),
                tx -> tx.get("status").asString().equals("CONFIRMED"));
        assertThat(call(t, instanceId, "balanceOf", "[\"0x000000000000000000000000000000000000dEaD\"]").get("outputs").get("0").asString())
                .isEqualTo("5");
    }

    @Test
    void anotherTenantGets404ForWalletContractInstanceTransactionAndSubscription() {
        Tenant a = newTenant();
        Tenant b = newTenant();
        String contractId = registerArtifact(a, "ChainmeshToken.hardhat.json");
        String instanceId = deploy(a, contractId, "[\"T\", \"T\", 1000]");
        JsonNode tx = sendConfirmed(a, instanceId, "transfer", "[\"0x000000000000000000000000000000000000dEaD\", 1]");
        JsonNode sub = expect(201, post("/v1/subscriptions"), a.token(), "{\"instanceId\":\"" + instanceId + "\",\"event\":\"Transfer\"}");

        for (String path : new String[] {"/v1/wallets/" + a.walletId(), "/v1/contracts/" + contractId, "/v1/instances/" + instanceId,
                "/v1/transactions/" + tx.get("id").asString(), "/v1/subscriptions/" + sub.get("id").asString(),
                "/v1/subscriptions/" + sub.get("id").asString() + "/events"}) {
            assertThat(expect(404, get(path), b.token(), null).get("code").asString()).as(path).isEqualTo("not_found");
        }
        // B cannot act with A's objects either: deploy A's contract, send with A's wallet, call A's instance.
        expect(404, post("/v1/contracts/" + contractId + "/deploy"), b.token(),
                "{\"nodeId\":\"" + b.nodeId() + "\",\"walletId\":\"" + b.walletId() + "\",\"args\":[]}");
        expect(404, post("/v1/instances/" + instanceId + "/call/totalSupply"), b.token(), "{}");
        String bInstance = deploy(b, registerArtifact(b, "ChainmeshToken.hardhat.json"), "[\"T\", \"T\", 1000]");
        JsonNode foreignWallet = expect(404, post("/v1/instances/" + bInstance + "/send/transfer"), b.token(),
                "{\"walletId\":\"" + a.walletId() + "\",\"args\":[\"0x000000000000000000000000000000000000dEaD\", 1]}");
        assertThat(foreignWallet.get("field").asString()).isEqualTo("walletId");
        // ... nor deploy to A's node.
        expect(404, post("/v1/contracts/" + registerArtifact(b, "ChainmeshToken.hardhat.json") + "/deploy"), b.token(),
                "{\"nodeId\":\"" + a.nodeId() + "\",\"walletId\":\"" + b.walletId() + "\",\"args\":[\"T\", \"T\", 1]}");
        assertThat(getJson("/v1/transactions", b.token()).get("items").toString()).doesNotContain(tx.get("id").asString());
    }
}
