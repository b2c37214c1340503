package io.chainmesh.contract.transaction;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;

import java.math.BigInteger;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.Keys;
import org.web3j.crypto.RawTransaction;
import org.web3j.crypto.TransactionDecoder;
import org.web3j.crypto.TransactionEncoder;
import org.web3j.crypto.transaction.type.Transaction1559;
import org.web3j.utils.Numeric;

import io.chainmesh.common.events.EventEnvelope;
import io.chainmesh.common.events.TransactionStatusChanged;
import io.chainmesh.contract.ContractServiceTestBase;
import io.chainmesh.contract.FakeBlockchainService;
import io.chainmesh.contract.TestChains;
import io.chainmesh.testing.AnvilProcess;
import tools.jackson.databind.JsonNode;

/**
 * Resubmission of stuck transactions (same nonce, fees raised by {@code fee-bump-percent}) on a chain that mines only
 * when told, and REPLACED when a transaction that is none of ours takes the nonce.
 */
class TransactionResubmissionIntegrationTest extends ContractServiceTestBase {

    private static final String DEAD = "0x000000000000000000000000000000000000dEaD";

    @Autowired
    TransactionRepository repository;

    @Test
    void aStuckTransactionIsResubmittedWithTheSameNonceAndHigherFeesAndConfirmsAsTheReplacement() {
        AnvilProcess chain = TestChains.manualMining();
        Tenant t = newTenant(chain);
        String contractId = registerArtifact(t, "ChainmeshToken.hardhat.json");
        JsonNode operation = expect(202, post("/v1/contracts/" + contractId + "/deploy"), t.token(),
                "{\"nodeId\":\"" + t.nodeId() + "\",\"walletId\":\"" + t.walletId() + "\",\"args\":[\"T\", \"T\", 1000]}");
        JsonNode submitted = operation.get("transaction");
        String id = submitted.get("id").asString();
        String originalHash = submitted.get("hash").asString();
        assertThat(submitted.get("status").asString()).isEqualTo("PENDING");

        // Nothing is mined, so after stuck-after (2s in tests) the tracker signs a dearer copy and sends it.
        await("/v1/transactions/" + id, t.token(), Duration.ofSeconds(20), tx -> tx.get("resubmissions").asInt() >= 1);
        chain.mine(1);
        JsonNode confirmed = await("/v1/transactions/" + id, t.token(), Duration.ofSeconds(20),
                tx -> tx.get("status").asString().equals("CONFIRMED"));

        List<TransactionAttempt> attempts = repository.attempts(UUID.fromString(id));
        assertThat(attempts.getFirst().purpose()).isEqualTo(AttemptPurpose.ORIGINAL);
        assertThat(attempts.getFirst().hash()).isEqualTo(originalHash);
        assertThat(attempts.subList(1, attempts.size())).isNotEmpty().allSatisfy(a -> assertThat(a.purpose()).isEqualTo(AttemptPurpose.FEE_BUMP));
        assertThat(confirmed.get("resubmissions").asInt()).isEqualTo(attempts.size() - 1);
        // Every resubmission keeps the nonce and raises both fee caps by at least the 10% nodes demand of a replacement.
        for (int i = 1; i < attempts.size(); i++) {
            Transaction1559 before = decode(attempts.get(i - 1).raw());
            Transaction1559 after = decode(attempts.get(i).raw());
            assertThat(after.getNonce()).isEqualTo(before.getNonce()).isEqualTo(BigInteger.ZERO);
            assertThat(after.getMaxFeePerGas()).isGreaterThanOrEqualTo(tenPercentAbove(before.getMaxFeePerGas()));
            assertThat(after.getMaxPriorityFeePerGas()).isGreaterThanOrEqualTo(tenPercentAbove(before.getMaxPriorityFeePerGas()));
        }

        String minedHash = confirmed.get("hash").asString();
        assertThat(minedHash).isNotEqualTo(originalHash).isIn(attempts.stream().map(TransactionAttempt::hash).toList());
        JsonNode receipt = chain.rpc("eth_getTransactionReceipt", minedHash);
        assertThat(receipt.get("status").asString()).isEqualTo("0x1");
        assertThat(receipt.get("blockHash").asString()).isEqualTo(confirmed.get("blockHash").asString());
        assertThat(chain.rpc("eth_getTransactionReceipt", originalHash).isNull()).isTrue();
        JsonNode mined = chain.rpc("eth_getTransactionByHash", minedHash);
        assertThat(Numeric.decodeQuantity(mined.get("maxFeePerGas").asString()))
                .isEqualTo(new BigInteger(confirmed.get("maxFeePerGas").asString()))
                .isGreaterThanOrEqualTo(tenPercentAbove(new BigInteger(submitted.get("maxFeePerGas").asString())));
        assertThat(Numeric.decodeQuantity(mined.get("maxPriorityFeePerGas").asString()))
                .isEqualTo(new BigInteger(confirmed.get("maxPriorityFeePerGas").asString()))
                .isGreaterThanOrEqualTo(tenPercentAbove(new BigInteger(submitted.get("maxPriorityFeePerGas").asString())));

        // The deployment follows the replacement: same nonce, so the same contract address.
        JsonNode instance = getJson("/v1/instances/" + operation.get("instance").get("id").asString(), t.token());
        assertThat(instance.get("status").asString()).isEqualTo("DEPLOYED");
        assertThat(instance.get("address").asString()).isEqualTo(operation.get("instance").get("address").asString());

        // chainmesh.tx: the original and each resubmission announced as submitted, then mined and confirmed under the
        // hash that was mined; a fee bump is not a REPLACED transaction (that is reserved for a foreign one).
        List<EventEnvelope> events = awaitTxEvents(id, Duration.ofSeconds(10),
                e -> e.stream().anyMatch(event -> event.type().equals("tx.confirmed")));
        assertThat(events).extracting(EventEnvelope::type)
                .containsExactlyElementsOf(expectedTypes(attempts.size()));
        assertThat(events).extracting(e -> (Object) e.event(TransactionStatusChanged.class).hash())
                .containsExactlyElementsOf(expectedHashes(attempts, minedHash));
    }

    @Test
    void aNonceTakenByAnotherTransactionOfTheSameKeyMarksOursReplacedAndLaterSendsGoOn() throws Exception {
        AnvilProcess chain = TestChains.automining();
        Credentials key = Credentials.create(Keys.createEcKeyPair());
        Tenant t = newTenant(chain, Numeric.toHexStringNoPrefixZeroPadded(key.getEcKeyPair().getPrivateKey(), 64));
        String instanceId = deploy(t, registerArtifact(t, "ChainmeshToken.hardhat.json"), "[\"T\", \"T\", 1000]");

        // Our nonce-1 transaction cannot reach the node ...
        FakeBlockchainService.get().refuseSends(t.nodeId(), nonce -> true);
        JsonNode ours;
        try {
            ours = expect(202, post("/v1/instances/" + instanceId + "/send/transfer"), t.token(),
                    "{\"walletId\":\"" + t.walletId() + "\",\"args\":[\"" + DEAD + "\", 5]}");
            assertThat(ours.get("nonce").asLong()).isEqualTo(1);
            // ... while the same key, used elsewhere (a wallet app holding the imported key), spends nonce 1.
            RawTransaction foreign = RawTransaction.createTransaction(chain.chainId(), BigInteger.ONE, BigInteger.valueOf(21_000),
                    t.address(), BigInteger.ZERO, "0x", BigInteger.valueOf(2_000_000_000L), BigInteger.valueOf(10_000_000_000L));
            String foreignHash = chain.rpc("eth_sendRawTransaction",
                    Numeric.toHexString(TransactionEncoder.signMessage(foreign, key))).asString();
            assertThat(chain.receipt(foreignHash).get("status").asString()).isEqualTo("0x1");
        } finally {
            FakeBlockchainService.get().acceptSends(t.nodeId());
        }

        String id = ours.get("id").asString();
        JsonNode replaced = await("/v1/transactions/" + id, t.token(), Duration.ofSeconds(20),
                tx -> !tx.get("status").asString().equals("PENDING"));
        assertThat(replaced.get("status").asString()).isEqualTo("REPLACED");
        assertThat(replaced.get("revertReason").asString()).isEqualTo("nonce 1 was used by another transaction from " + t.address());
        assertThat(replaced.get("blockNumber").isNull()).isTrue();
        assertThat(chain.rpc("eth_getTransactionReceipt", replaced.get("hash").asString()).isNull()).isTrue();
        List<EventEnvelope> events = awaitTxEvents(id, Duration.ofSeconds(10),
                e -> e.stream().anyMatch(event -> event.type().equals("tx.replaced")));
        // (a fee bump signed while the node was unreachable adds a tx.submitted; nothing else may precede tx.replaced)
        assertThat(events.getLast().type()).isEqualTo("tx.replaced");
        assertThat(events.getLast().event(TransactionStatusChanged.class).status()).isEqualTo("REPLACED");
        assertThat(events.subList(0, events.size() - 1)).isNotEmpty().extracting(EventEnvelope::type).containsOnly("tx.submitted");

        // The nonce counter moved past the foreign transaction: the next send is not stuck behind it.
        JsonNode next = sendConfirmed(t, instanceId, "transfer", "[\"" + DEAD + "\", 7]");
        assertThat(next.get("status").asString()).isEqualTo("CONFIRMED");
        assertThat(next.get("nonce").asLong()).isEqualTo(2);
        assertThat(call(t, instanceId, "balanceOf", "[\"" + DEAD + "\"]").get("outputs").get("0").asString()).isEqualTo("7");
    }

    private static Transaction1559 decode(String raw) {
        return (Transaction1559) TransactionDecoder.decode(raw).getTransaction();
    }

    private static BigInteger tenPercentAbove(BigInteger fee) {
        return fee.multiply(BigInteger.valueOf(110)).add(BigInteger.valueOf(99)).divide(BigInteger.valueOf(100));
    }

    private static List<String> expectedTypes(int attempts) {
        List<String> types = new java.util.ArrayList<>(java.util.Collections.nCopies(attempts, "tx.submitted"));
        types.add("tx.mined");
        types.add("tx.confirmed");
        return types;
    }

    private static List<Object> expectedHashes(List<TransactionAttempt> attempts, String minedHash) {
        List<Object> hashes = new java.util.ArrayList<>(attempts.stream().map(TransactionAttempt::hash).toList());
        hashes.add(minedHash);
        hashes.add(minedHash);
        return hashes;
    }
}
