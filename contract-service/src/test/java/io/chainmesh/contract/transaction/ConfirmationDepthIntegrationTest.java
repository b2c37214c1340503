package io.chainmesh.contract.transaction;

import static org.assertj.core.api.Assertions.assertThat;

import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;

import java.time.Duration;
import java.util.List;

import org.awaitility.Awaitility;
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
 * Confirmation depth chosen per request, and a reorganisation that drops a mined but unconfirmed transaction, on a
 * chain that mines only when told. Between blocks the test runs a tracking round itself ({@link TransactionTracking#track})
 * so that every state it asserts was judged against the chain as it is at that moment.
 */
class ConfirmationDepthIntegrationTest extends ContractServiceTestBase {

    @Autowired
    TransactionTracking tracker;

    @Test
    void aTransactionIsMinedFirstAndConfirmedOnlyWhenItHasTheRequestedDepth() {
        AnvilProcess chain = TestChains.manualMining();
        Tenant t = newTenant(chain);
        JsonNode operation = deployWaitingForThreeConfirmations(t);
        String path = "/v1/transactions/" + operation.get("operationId").asString();
        String instancePath = "/v1/instances/" + operation.get("instance").get("id").asString();
        assertThat(operation.get("transaction").get("confirmations").asInt()).isEqualTo(3);

        chain.mine(1);
        long block = chain.blockNumber();
        tracker.track();
        JsonNode mined = getJson(path, t.token());
        assertThat(mined.get("status").asString()).isEqualTo("MINED");
        assertThat(mined.get("blockNumber").asLong()).isEqualTo(block);
        assertThat(mined.get("minedAt").isNull()).isFalse();
        assertThat(mined.get("confirmedAt").isNull()).isTrue();
        assertThat(getJson(instancePath, t.token()).get("status").asString()).isEqualTo("PENDING");

        chain.mine(1);
        tracker.track();
        assertThat(getJson(path, t.token()).get("status").asString()).as("two blocks of three").isEqualTo("MINED");

        chain.mine(1);
        tracker.track();
        JsonNode confirmed = getJson(path, t.token());
        assertThat(confirmed.get("status").asString()).isEqualTo("CONFIRMED");
        assertThat(confirmed.get("blockNumber").asLong()).isEqualTo(block);
        assertThat(confirmed.get("blockHash").asString()).isEqualTo(mined.get("blockHash").asString());
        assertThat(confirmed.get("confirmedAt").isNull()).isFalse();
        assertThat(getJson(instancePath, t.token()).get("status").asString()).isEqualTo("DEPLOYED");

        List<EventEnvelope> events = awaitTxEvents(operation.get("operationId").asString(), Duration.ofSeconds(10),
                e -> e.stream().anyMatch(event -> event.type().equals("tx.confirmed")));
        assertThat(events).extracting(EventEnvelope::type).endsWith("tx.mined", "tx.confirmed");
        // The wire format: every field, in this order, nulls included (a submitted deploy has no block yet).
        assertThat(events.getFirst().data().keySet()).containsExactly("transactionId", "operationId", "nodeId", "hash",
                "from", "to", "nonce", "status", "blockNumber", "revertReason");
        TransactionStatusChanged submitted = events.getFirst().event(TransactionStatusChanged.class);
        assertThat(submitted.status()).isEqualTo("PENDING");
        assertThat(submitted.operationId()).isEqualTo(submitted.transactionId());
        assertThat(submitted.blockNumber()).isNull();
        assertThat(events.getLast().event(TransactionStatusChanged.class).blockNumber()).isEqualTo(block);
    }

    @Test
    void aMinedTransactionThatAReorgDropsIsTrackedAgainAndConfirmedOnTheNewChain() {
        AnvilProcess chain = TestChains.manualMining();
        Tenant t = newTenant(chain);
        String beforeTheBlock = chain.rpc("evm_snapshot").asString();
        JsonNode operation = deployWaitingForThreeConfirmations(t);
        String id = operation.get("operationId").asString();
        String path = "/v1/transactions/" + id;
        String address = operation.get("instance").get("address").asString();

        chain.mine(1);
        tracker.track();
        JsonNode minedFirst = getJson(path, t.token());
        assertThat(minedFirst.get("status").asString()).isEqualTo("MINED");
        long firstBlock = minedFirst.get("blockNumber").asLong();

        // The block is replaced by a longer chain without the transaction (anvil drops it from its pool as well). The
        // node is kept from getting it back until the tracker's view was checked, so the new blocks stay empty.
        FakeBlockchainService.get().refuseSends(t.nodeId(), nonce -> true);
        try {
            chain.rpc("evm_revert", beforeTheBlock);
            chain.mine(3);
            assertThat(chain.rpc("eth_getTransactionReceipt", minedFirst.get("hash").asString()).isNull()).isTrue();
            tracker.track();
            JsonNode reorged = getJson(path, t.token());
            // Its old block number now has three blocks on top: a tracker that only counted would call it CONFIRMED.
            assertThat(reorged.get("status").asString()).isEqualTo("PENDING");
            assertThat(reorged.get("blockNumber").isNull()).isTrue();
            assertThat(reorged.get("blockHash").isNull()).isTrue();
            assertThat(reorged.get("minedAt").isNull()).isTrue();
        } finally {
            FakeBlockchainService.get().acceptSends(t.nodeId());
        }

        // Sent again by the tracker without waiting for rebroadcast-after: the pool holds its nonce again.
        Awaitility.await("resent").atMost(Duration.ofSeconds(20)).pollDelay(Duration.ZERO).pollInterval(POLL).until(() -> {
            tracker.track();
            return !chain.rpc("eth_getTransactionCount", t.address(), "pending").asString().equals("0x0");
        });
        chain.mine(1);
        long secondBlock = chain.blockNumber();
        tracker.track();
        JsonNode minedAgain = getJson(path, t.token());
        assertThat(minedAgain.get("status").asString()).isEqualTo("MINED");
        assertThat(minedAgain.get("blockNumber").asLong()).isEqualTo(secondBlock).isGreaterThan(firstBlock);

        chain.mine(2);
        tracker.track();
        JsonNode confirmed = getJson(path, t.token());
        assertThat(confirmed.get("status").asString()).isEqualTo("CONFIRMED");
        assertThat(confirmed.get("blockNumber").asLong()).isEqualTo(secondBlock);
        // The receipt it was confirmed with exists on the canonical chain.
        JsonNode receipt = chain.rpc("eth_getTransactionReceipt", confirmed.get("hash").asString());
        assertThat(receipt.get("blockHash").asString()).isEqualTo(confirmed.get("blockHash").asString());
        assertThat(chain.rpc("eth_getBlockByNumber", "0x" + Long.toHexString(secondBlock), false).get("hash").asString())
                .isEqualTo(confirmed.get("blockHash").asString());
        assertThat(getJson("/v1/instances/" + operation.get("instance").get("id").asString(), t.token()).get("status").asString())
                .isEqualTo("DEPLOYED");
        assertThat(chain.rpc("eth_getCode", address, "latest").asString()).isNotEqualTo("0x");

        List<EventEnvelope> events = awaitTxEvents(id, Duration.ofSeconds(10),
                e -> e.stream().anyMatch(event -> event.type().equals("tx.confirmed")));
        List<EventEnvelope> outcome = events.stream().filter(e -> !e.type().equals("tx.submitted")).toList();
        assertThat(outcome).extracting(EventEnvelope::type).containsExactly("tx.mined", "tx.mined", "tx.confirmed");
        assertThat(outcome).extracting(e -> e.event(TransactionStatusChanged.class).blockNumber())
                .containsExactly(firstBlock, secondBlock, secondBlock);
    }

    private JsonNode deployWaitingForThreeConfirmations(Tenant t) {
        String contractId = registerArtifact(t, "ChainmeshToken.hardhat.json");
        return expect(202, post("/v1/contracts/" + contractId + "/deploy"), t.token(), "{\"nodeId\":\"" + t.nodeId()
                + "\",\"walletId\":\"" + t.walletId() + "\",\"args\":[\"T\", \"T\", 1000],\"confirmations\":3}");
    }
}
