package io.chainmesh.contract.transaction;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import io.chainmesh.common.events.EventEnvelope;
import io.chainmesh.common.events.TransactionStatusChanged;
import io.chainmesh.contract.ContractServiceTestBase;
import io.chainmesh.contract.FakeBlockchainService;
import io.chainmesh.contract.TestChains;
import io.chainmesh.contract.connector.TransactionTracking;
import io.chainmesh.testing.AnvilProcess;
import tools.jackson.databind.JsonNode;

/**
 * A nonce that was allocated but whose transaction did not reach the chain must not hold back the account's later
 * transactions: a refused transaction's nonce is taken by a no-op, an unsent one is sent again, and a gas limit the
 * node would silently drop is refused before a nonce is spent.
 */
class NonceGapIntegrationTest extends ContractServiceTestBase {

    private static final String DEAD = "0x000000000000000000000000000000000000dEaD";

    @Autowired
    TransactionTracking tracker;

    @Test
    void aTransactionTheNodeRefusedHasItsNonceFilledByANoOpAndTheNextOnesAreMined() {
        AnvilProcess chain = TestChains.automining();
        Tenant t = newTenant(chain);
        String instanceId = deploy(t, registerArtifact(t, "ChainmeshToken.hardhat.json"), "[\"T\", \"T\", 1000]");

        // Above the block gas limit (30M on anvil): the node refuses it for good after nonce 1 was allocated to it.
        JsonNode refused = send(t, instanceId, "[\"" + DEAD + "\", 1]", ",\"gasLimit\":\"40000000\"");
        JsonNode next = send(t, instanceId, "[\"" + DEAD + "\", 2]", "");
        assertThat(refused.get("nonce").asLong()).isEqualTo(1);
        assertThat(next.get("nonce").asLong()).isEqualTo(2);

        JsonNode nextConfirmed = await("/v1/transactions/" + next.get("id").asString(), t.token(), Duration.ofSeconds(20),
                tx -> tx.get("status").asString().equals("CONFIRMED"));
        JsonNode failed = await("/v1/transactions/" + refused.get("id").asString(), t.token(), Duration.ofSeconds(20),
                tx -> tx.get("status").asString().equals("FAILED"));
        assertThat(failed.get("revertReason").asString())
                .startsWith("rejected by the node: ")
                .contains("intrinsic gas too high")
                .endsWith("; nonce 1 was filled by a no-op transaction");
        assertThat(failed.get("blockNumber").asLong()).isLessThanOrEqualTo(nextConfirmed.get("blockNumber").asLong());

        // What holds nonce 1 on chain: a zero-value transfer to itself, recorded as the refused transaction's hash.
        JsonNode filler = chain.rpc("eth_getTransactionByHash", failed.get("hash").asString());
        assertThat(filler.get("from").asString()).isEqualToIgnoringCase(t.address());
        assertThat(filler.get("to").asString()).isEqualToIgnoringCase(t.address());
        assertThat(filler.get("value").asString()).isEqualTo("0x0");
        assertThat(filler.get("input").asString()).isEqualTo("0x");
        assertThat(filler.get("nonce").asString()).isEqualTo("0x1");
        assertThat(chain.rpc("eth_getTransactionCount", t.address(), "latest").asString()).isEqualTo("0x3");
        assertThat(call(t, instanceId, "balanceOf", "[\"" + DEAD + "\"]").get("outputs").get("0").asString()).isEqualTo("2");

        List<EventEnvelope> events = awaitTxEvents(refused.get("id").asString(), Duration.ofSeconds(10),
                e -> e.stream().anyMatch(event -> event.type().equals("tx.failed")));
        assertThat(events.getLast().type()).isEqualTo("tx.failed");
        assertThat(events.getLast().event(TransactionStatusChanged.class).revertReason())
                .isEqualTo(failed.get("revertReason").asString());
    }

    @Test
    void aTransactionThatCouldNotBeSentIsSentAgainAndTheOnesQueuedBehindItFollow() {
        AnvilProcess chain = TestChains.automining();
        Tenant t = newTenant(chain);
        String instanceId = deploy(t, registerArtifact(t, "ChainmeshToken.hardhat.json"), "[\"T\", \"T\", 1000]");

        // The node is unreachable for nonce 1 only: its send fails after the nonce was allocated, nonce 2 gets through.
        FakeBlockchainService.get().refuseSends(t.nodeId(), nonce -> nonce == 1);
        JsonNode unsent;
        JsonNode queued;
        try {
            unsent = send(t, instanceId, "[\"" + DEAD + "\", 1]", "");
            queued = send(t, instanceId, "[\"" + DEAD + "\", 2]", "");
            assertThat(unsent.get("nonce").asLong()).isEqualTo(1);
            assertThat(queued.get("nonce").asLong()).isEqualTo(2);
            tracker.track();
            // nonce 2 waits in the node's pool behind the gap
            assertThat(chain.rpc("eth_getTransactionCount", t.address(), "latest").asString()).isEqualTo("0x1");
            assertThat(getJson("/v1/transactions/" + queued.get("id").asString(), t.token()).get("status").asString())
                    .isEqualTo("PENDING");
        } finally {
            FakeBlockchainService.get().acceptSends(t.nodeId());
        }

        JsonNode first = await("/v1/transactions/" + unsent.get("id").asString(), t.token(), Duration.ofSeconds(20),
                tx -> tx.get("status").asString().equals("CONFIRMED"));
        JsonNode second = await("/v1/transactions/" + queued.get("id").asString(), t.token(), Duration.ofSeconds(20),
                tx -> tx.get("status").asString().equals("CONFIRMED"));
        assertThat(first.get("blockNumber").asLong()).isLessThanOrEqualTo(second.get("blockNumber").asLong());
        assertThat(chain.rpc("eth_getTransactionReceipt", first.get("hash").asString()).get("status").asString()).isEqualTo("0x1");
        assertThat(chain.rpc("eth_getTransactionCount", t.address(), "latest").asString()).isEqualTo("0x3");
        assertThat(call(t, instanceId, "balanceOf", "[\"" + DEAD + "\"]").get("outputs").get("0").asString()).isEqualTo("3");
    }

    @Test
    void aGasLimitBelowWhatTheNodeWouldMineIsRefusedBeforeANonceIsSpent() {
        AnvilProcess chain = TestChains.automining();
        Tenant t = newTenant(chain);
        String instanceId = deploy(t, registerArtifact(t, "ChainmeshToken.hardhat.json"), "[\"T\", \"T\", 1000]");
        String body = "{\"walletId\":\"" + t.walletId() + "\",\"args\":[\"" + DEAD + "\", 1],\"gasLimit\":\"%s\"}";

        // transfer(0x…dEaD, 1) carries 68 bytes of calldata, 7 of them non-zero: the EIP-7623 floor is
        // 21000 + 10 * (61 + 4 * 7) = 21890. anvil accepts 21889 and then silently drops it when building the block.
        JsonNode problem = expect(400, post("/v1/instances/" + instanceId + "/send/transfer"), t.token(), body.formatted("21889"));
        assertThat(problem.get("code").asString()).isEqualTo("gas_limit_too_low");
        assertThat(problem.get("field").asString()).isEqualTo("gasLimit");

        // 21890 is enough to be mined; the transfer then runs out of gas, an ordinary on-chain failure of nonce 1.
        JsonNode outOfGas = expect(202, post("/v1/instances/" + instanceId + "/send/transfer"), t.token(), body.formatted("21890"));
        assertThat(outOfGas.get("nonce").asLong()).isEqualTo(1);
        JsonNode failed = await("/v1/transactions/" + outOfGas.get("id").asString(), t.token(), Duration.ofSeconds(20),
                tx -> tx.get("status").asString().equals("FAILED"));
        assertThat(failed.get("revertReason").asString()).isEqualTo("out of gas");
        assertThat(failed.get("gasUsed").asString()).isEqualTo("21890");

        JsonNode next = sendConfirmed(t, instanceId, "transfer", "[\"" + DEAD + "\", 4]");
        assertThat(next.get("nonce").asLong()).isEqualTo(2);
        assertThat(next.get("status").asString()).isEqualTo("CONFIRMED");
    }

    private JsonNode send(Tenant t, String instanceId, String args, String extra) {
        return expect(202, post("/v1/instances/" + instanceId + "/send/transfer"), t.token(),
                "{\"walletId\":\"" + t.walletId() + "\",\"args\":" + args + extra + "}");
    }
}
