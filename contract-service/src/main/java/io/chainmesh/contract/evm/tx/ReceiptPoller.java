package io.chainmesh.contract.evm.tx;

import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

import io.chainmesh.contract.ContractProperties;
import io.chainmesh.contract.definition.Contracts;
import io.chainmesh.contract.evm.abi.AbiCodec;
import io.chainmesh.contract.evm.abi.ContractAbi;
import io.chainmesh.contract.evm.abi.EvmContract;
import io.chainmesh.contract.evm.abi.RevertReason;
import io.chainmesh.contract.evm.rpc.EthereumRpc;
import io.chainmesh.contract.evm.rpc.RpcErrorException;
import io.chainmesh.contract.node.ChainNode;
import io.chainmesh.contract.transaction.AttemptPurpose;
import io.chainmesh.contract.transaction.Inclusion;
import io.chainmesh.contract.transaction.TransactionAttempt;
import io.chainmesh.contract.transaction.TransactionLedger;
import io.chainmesh.contract.transaction.TransactionRecord;
import io.chainmesh.contract.transaction.TransactionStatus;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * One tracking round over a node's open transactions: receipts (batched), confirmation depth, reorged receipts (back
 * to PENDING), revert reasons of on-chain failures (the call is replayed to get the revert data), and REPLACED when a
 * foreign transaction took the nonce. A transaction without a receipt is handed to {@link FeeBumper} when stuck, or
 * to {@link Rebroadcaster} when the node lost it, never got it, or refused it.
 */
@Component
public class ReceiptPoller {

    private static final Logger log = LoggerFactory.getLogger(ReceiptPoller.class);
    private static final int RECEIPT_BATCH = 200;
    private static final int RECEIPT_BATCHES_IN_FLIGHT = 4;
    private static final int TRANSITION_CHUNK = 200;
    private static final Duration UNSIGNED_GRACE = Duration.ofSeconds(5);

    private final TransactionLedger ledger;
    private final NonceAllocator nonces;
    private final FeeBumper feeBumper;
    private final Rebroadcaster rebroadcaster;
    private final EthereumRpc rpc;
    private final Contracts contracts;
    private final TransactionTemplate tx;
    private final JsonMapper json;
    private final ContractProperties.Transactions settings;

    ReceiptPoller(TransactionLedger ledger, NonceAllocator nonces, FeeBumper feeBumper, Rebroadcaster rebroadcaster,
            EthereumRpc rpc, Contracts contracts, TransactionTemplate tx, JsonMapper json, ContractProperties properties) {
        this.ledger = ledger;
        this.nonces = nonces;
        this.feeBumper = feeBumper;
        this.rebroadcaster = rebroadcaster;
        this.rpc = rpc;
        this.contracts = contracts;
        this.tx = tx;
        this.json = json;
        this.settings = properties.transactions();
    }

    /** One round over {@code open}, the node's PENDING and MINED transactions. */
    public void track(ChainNode node, List<TransactionRecord> open) {
        long headBefore = rpc.blockNumber(node.tenantId(), node.id());
        // Mined nonce counts are read BEFORE receipts: a nonce consumed with no receipt of ours is then certainly foreign.
        List<String> senders = open.stream().map(t -> t.request().from()).distinct().toList();
        List<Object> counts = rpc.batch(node.tenantId(), node.id(),
                senders.stream().map(a -> new Object[] {"eth_getTransactionCount", a, "latest"}).toList());
        Map<String, Long> minedCount = new HashMap<>();
        for (int i = 0; i < senders.size(); i++) {
            if (counts.get(i) instanceof JsonNode n) {
                minedCount.put(senders.get(i), EthereumRpc.quantity(n).longValueExact());
            }
        }
        Map<UUID, List<TransactionAttempt>> attempts = ledger.attempts(open.stream().map(TransactionRecord::id).toList());
        List<String> hashes = new ArrayList<>();
        for (TransactionRecord t : open) {
            if (t.status() == TransactionStatus.MINED) {
                hashes.add(t.submission().hash());
            } else if (mayBeMined(t, minedCount.get(t.request().from()))) {
                attempts.getOrDefault(t.id(), List.of()).forEach(a -> hashes.add(a.hash()));
            }
        }
        Map<String, JsonNode> receipts = receipts(node, hashes);
        // The chain has at least every block a receipt was just read from. Counting depth from there rather than from
        // the head read before the receipts confirms a transaction mined during this round in this round (with one
        // confirmation, on inclusion, as configured) instead of one round later.
        long head = receipts.values().stream().mapToLong(ReceiptPoller::blockOf).reduce(headBefore, Math::max);
        // Receipt-driven transitions touch only the database; they are committed together, a chunk at a time.
        List<Transition> transitions = new ArrayList<>();
        for (TransactionRecord t : open) {
            try {
                List<TransactionAttempt> own = attempts.getOrDefault(t.id(), List.of());
                if (t.status() == TransactionStatus.MINED) {
                    JsonNode receipt = receipts.get(t.submission().hash().toLowerCase());
                    transitions.add(new Transition(t, () -> trackMined(t, receipt, head)));
                } else {
                    TransactionAttempt minedAttempt = own.stream()
                            .filter(a -> receipts.containsKey(a.hash().toLowerCase())).findFirst().orElse(null);
                    if (minedAttempt == null) {
                        trackUnmined(t, own, minedCount.get(t.request().from()));
                        continue;
                    }
                    JsonNode receipt = receipts.get(minedAttempt.hash().toLowerCase());
                    if (isPlainSuccess(minedAttempt, receipt)) {
                        transitions.add(new Transition(t, () -> onReceipt(t, minedAttempt, receipt, head)));
                    } else {
                        onReceipt(t, minedAttempt, receipt, head); // replays the reverted call on the node first
                    }
                }
            } catch (RuntimeException e) {
                log.info("Tracking transaction {} failed, will retry: {}", t.id(), e.toString());
            }
        }
        commitInChunks(transitions);
    }

    /**
     * Whether a pending transaction can have a receipt: not while the account's mined nonce count (read before the
     * receipts) is at or below its nonce. The others are left for the next round, which saves a burst's not yet mined
     * tail a receipt lookup each round; the REPLACED verdict needs the count above the nonce, so it is unaffected.
     */
    private static boolean mayBeMined(TransactionRecord t, Long minedCount) {
        Long nonce = t.submission().nonce();
        return minedCount == null || nonce == null || minedCount > nonce;
    }

    /** Receipts by lower-case hash, in batches of {@value #RECEIPT_BATCH}, a few batches at a time. */
    private Map<String, JsonNode> receipts(ChainNode node, List<String> hashes) {
        List<List<String>> chunks = chunks(hashes, RECEIPT_BATCH);
        List<Future<List<Object>>> answers = new ArrayList<>();
        try (ExecutorService lookups = Executors.newFixedThreadPool(RECEIPT_BATCHES_IN_FLIGHT, Thread.ofVirtual().factory())) {
            for (List<String> chunk : chunks) {
                answers.add(lookups.submit(() -> rpc.batch(node.tenantId(), node.id(),
                        chunk.stream().map(h -> new Object[] {"eth_getTransactionReceipt", h}).toList())));
            }
        }
        Map<String, JsonNode> receipts = new HashMap<>();
        for (int c = 0; c < chunks.size(); c++) {
            List<Object> results;
            try {
                results = answers.get(c).get();
            } catch (ExecutionException e) {
                throw e.getCause() instanceof RuntimeException cause ? cause : new IllegalStateException(e.getCause());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while reading receipts", e);
            }
            List<String> chunk = chunks.get(c);
            for (int i = 0; i < chunk.size(); i++) {
                if (results.get(i) instanceof JsonNode r && r.isObject()) {
                    receipts.put(chunk.get(i).toLowerCase(), r);
                }
            }
        }
        return receipts;
    }

    private static long blockOf(JsonNode receipt) {
        JsonNode block = receipt.path("blockNumber");
        return block.isString() ? EthereumRpc.quantity(block).longValueExact() : -1;
    }

    /** A database-only state change of one transaction. */
    private record Transition(TransactionRecord transaction, Runnable change) {
    }

    /**
     * One database transaction per {@value #TRANSITION_CHUNK} transitions instead of one each: a burst of sends is
     * mined and confirmed in a few commits. A chunk that fails rolls back as a whole and is redone one transition at a
     * time, so a transaction that cannot be moved does not hold the others back.
     */
    private void commitInChunks(List<Transition> transitions) {
        for (List<Transition> chunk : chunks(transitions, TRANSITION_CHUNK)) {
            try {
                tx.executeWithoutResult(s -> chunk.forEach(c -> c.change().run()));
            } catch (RuntimeException chunkFailed) {
                for (Transition c : chunk) {
                    try {
                        tx.executeWithoutResult(s -> c.change().run());
                    } catch (RuntimeException e) {
                        log.info("Tracking transaction {} failed, will retry: {}", c.transaction().id(), e.toString());
                    }
                }
            }
        }
    }

    private static boolean isPlainSuccess(TransactionAttempt attempt, JsonNode receipt) {
        return attempt.purpose() != AttemptPurpose.GAP_FILL && "0x1".equals(receipt.path("status").asString());
    }

    private void onReceipt(TransactionRecord t, TransactionAttempt attempt, JsonNode receipt, long head) {
        long block = EthereumRpc.quantity(receipt.path("blockNumber")).longValueExact();
        String blockHash = receipt.path("blockHash").asString();
        BigInteger gasUsed = EthereumRpc.quantity(receipt.path("gasUsed"));
        String contractAddress = receipt.path("contractAddress").isString()
                ? AbiCodec.checksummed(receipt.path("contractAddress").stringValue(), "contractAddress") : null;
        boolean success = "0x1".equals(receipt.path("status").asString());
        Inclusion failedAt = new Inclusion(block, blockHash, gasUsed, null);
        if (attempt.purpose() == AttemptPurpose.GAP_FILL) {
            String reason = "rejected by the node: " + t.submission().broadcastError() + "; nonce " + t.submission().nonce()
                    + " was filled by a no-op transaction";
            tx.executeWithoutResult(s -> ledger.settle(t, TransactionStatus.FAILED, attempt.hash(), failedAt, reason, null));
            return;
        }
        if (!success) {
            RevertReason revert = replayRevert(t, block, gasUsed);
            String revertJson = json.writeValueAsString(revert);
            tx.executeWithoutResult(s -> ledger.settle(t, TransactionStatus.FAILED, attempt.hash(), failedAt,
                    revert.message(), revertJson));
            return;
        }
        boolean deepEnough = head - block + 1 >= ledger.requiredConfirmations(t);
        Inclusion at = new Inclusion(block, blockHash, gasUsed, contractAddress);
        // Mined and already deep enough: one update straight to CONFIRMED, announced as both steps.
        tx.executeWithoutResult(s -> ledger.mined(t, attempt.hash(), at, deepEnough));
    }

    private void trackMined(TransactionRecord t, JsonNode receipt, long head) {
        if (receipt == null) {
            // The block holding it was reorganised away. A node may put it back in its pool, but need not (anvil's
            // evm_revert drops it), so it is sent again in the next round rather than after rebroadcast-after.
            tx.executeWithoutResult(s -> ledger.reorged(t));
            log.info("Transaction {} left the canonical chain at block {}; tracking it again", t.id(), t.outcome().blockNumber());
            return;
        }
        long block = EthereumRpc.quantity(receipt.path("blockNumber")).longValueExact();
        String blockHash = receipt.path("blockHash").asString();
        BigInteger gasUsed = EthereumRpc.quantity(receipt.path("gasUsed"));
        if (head - block + 1 >= ledger.requiredConfirmations(t)) {
            Inclusion at = new Inclusion(block, blockHash, gasUsed, t.outcome().contractAddress());
            tx.executeWithoutResult(s -> ledger.confirm(t, at));
        } else if (!blockHash.equalsIgnoreCase(t.outcome().blockHash())) {
            Inclusion at = new Inclusion(block, blockHash, gasUsed, null);
            tx.executeWithoutResult(s -> ledger.moved(t, at));
        }
    }

    /** Re-executes a transaction that failed on chain as a call on the state before its block, to get the revert data. */
    private RevertReason replayRevert(TransactionRecord t, long block, BigInteger gasUsed) {
        TransactionRecord.Request r = t.request();
        ContractAbi abi = r.contractId() == null ? null
                : EvmContract.abiOf(contracts.contractInterface(t.tenantId(), r.contractId(), "contractId"));
        try {
            rpc.call(t.tenantId(), t.nodeId(), new EthereumRpc.CallRequest(r.from(), r.to(), r.data(), r.value()),
                    EthereumRpc.hex(Math.max(0, block - 1)));
        } catch (RpcErrorException e) {
            if (e.isRevert()) {
                return RevertReason.decode(e.data(), abi);
            }
        }
        BigInteger gasLimit = t.submission().gasLimit();
        String message = gasLimit != null && gasLimit.equals(gasUsed) ? "out of gas" : "reverted; the reason could not be reproduced";
        return new RevertReason("unknown", message, null, null, "0x");
    }

    /** A transaction none of whose attempts has a receipt: taken by another, never signed, refused, stuck or lost. */
    private void trackUnmined(TransactionRecord t, List<TransactionAttempt> own, Long minedCount) {
        Instant now = TransactionLedger.now();
        TransactionRecord.Submission sub = t.submission();
        String from = t.request().from();
        if (minedCount != null && minedCount > sub.nonce() && sub.raw() != null && !own.isEmpty()) {
            // (A row read before it was signed may have been signed, sent and mined since: it is not judged here.)
            // Our receipts were fetched after the count, so none of ours holds the nonce: a foreign transaction took it.
            nonces.catchUp(t.nodeId(), from, minedCount);
            tx.executeWithoutResult(s -> ledger.settle(t, TransactionStatus.REPLACED, null, null,
                    "nonce " + sub.nonce() + " was used by another transaction from " + from, null));
            return;
        }
        if (sub.raw() == null) {
            // Allocated but never signed: the service stopped between the nonce commit and the signature.
            if (Duration.between(t.request().createdAt(), now).compareTo(UNSIGNED_GRACE) > 0) {
                rebroadcaster.signAndSend(t);
            }
            return;
        }
        TransactionAttempt latest = own.isEmpty() ? null : own.getLast();
        if (sub.broadcastError() != null && own.stream().noneMatch(a -> a.purpose() == AttemptPurpose.GAP_FILL)) {
            rebroadcaster.fillRefusedNonce(t);
            return;
        }
        if (latest == null) {
            return;
        }
        if (Duration.between(t.outcome().updatedAt(), now).compareTo(settings.stuckAfter()) > 0) {
            feeBumper.bump(t, latest);
        } else if (sub.broadcastAt() == null || Duration.between(sub.broadcastAt(), now).compareTo(settings.rebroadcastAfter()) > 0) {
            rebroadcaster.rebroadcast(t, latest.raw());
        }
    }

    private static <T> List<List<T>> chunks(List<T> list, int size) {
        List<List<T>> out = new ArrayList<>();
        for (int i = 0; i < list.size(); i += size) {
            out.add(list.subList(i, Math.min(list.size(), i + size)));
        }
        return out;
    }
}
