package io.chainmesh.contract.transaction;

import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

import io.chainmesh.contract.ContractProperties;
import io.chainmesh.contract.abi.ContractAbi;
import io.chainmesh.contract.abi.RevertReason;
import io.chainmesh.contract.chain.EthereumRpc;
import io.chainmesh.contract.chain.RpcErrorException;
import io.chainmesh.contract.definition.Contracts;
import io.chainmesh.contract.wallet.SignedTransaction;
import io.chainmesh.contract.wallet.UnsignedTransaction;
import io.chainmesh.contract.wallet.Wallet;
import io.chainmesh.contract.wallet.Wallets;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Follows every open transaction to its end: receipts (batched per node), confirmation depth, reorged receipts
 * (back to PENDING), revert reasons of on-chain failures (the call is replayed to get the revert data), rebroadcast
 * of transactions the node lost or never got (e.g. after a crash between commit and broadcast), fee bumps of stuck
 * ones, no-op fillers for nonces the node refused, and REPLACED when a foreign transaction took the nonce.
 * All state lives in PostgreSQL, so a restarted service resumes exactly where it stopped. Each transition is a
 * conditional update, so two replicas never announce the same transition twice.
 */
@Component
class TransactionTracker {

    private static final Logger log = LoggerFactory.getLogger(TransactionTracker.class);
    private static final int RECEIPT_BATCH = 200;
    private static final int RECEIPT_BATCHES_IN_FLIGHT = 4;
    private static final int TRANSITION_CHUNK = 200;

    private final TransactionRepository repository;
    private final Transactions transactions;
    private final TransactionEvents events;
    private final NonceAllocator nonces;
    private final EthereumRpc rpc;
    private final Wallets wallets;
    private final Contracts contracts;
    private final TransactionTemplate tx;
    private final ApplicationEventPublisher publisher;
    private final JsonMapper json;
    private final ContractProperties.Transactions settings;

    TransactionTracker(TransactionRepository repository, Transactions transactions, TransactionEvents events,
            NonceAllocator nonces, EthereumRpc rpc, Wallets wallets, Contracts contracts, TransactionTemplate tx,
            ApplicationEventPublisher publisher, JsonMapper json, ContractProperties properties) {
        this.repository = repository;
        this.transactions = transactions;
        this.events = events;
        this.nonces = nonces;
        this.rpc = rpc;
        this.wallets = wallets;
        this.contracts = contracts;
        this.tx = tx;
        this.publisher = publisher;
        this.json = json;
        this.settings = properties.transactions();
    }

    private record NodeKey(UUID tenantId, UUID nodeId) {
    }

    @Scheduled(fixedDelayString = "${chainmesh.contract.transactions.track-interval:500ms}")
    void trackScheduled() {
        try {
            track();
        } catch (RuntimeException e) {
            log.warn("Transaction tracking round failed, will retry: {}", e.toString());
        }
    }

    /** One round over all open transactions. */
    void track() {
        Map<NodeKey, List<TransactionRecord>> byNode = new LinkedHashMap<>();
        for (TransactionRecord t : repository.open(5000)) {
            byNode.computeIfAbsent(new NodeKey(t.tenantId(), t.nodeId()), k -> new ArrayList<>()).add(t);
        }
        byNode.forEach((node, open) -> {
            try {
                trackNode(node, open);
            } catch (RuntimeException e) {
                log.info("Tracking {} transactions on node {} failed, will retry: {}", open.size(), node.nodeId(), e.toString());
            }
        });
    }

    private void trackNode(NodeKey node, List<TransactionRecord> open) {
        long headBefore = rpc.blockNumber(node.tenantId(), node.nodeId());
        // Mined nonce counts are read BEFORE receipts: a nonce consumed with no receipt of ours is then certainly foreign.
        List<String> senders = open.stream().map(t -> t.request().from()).distinct().toList();
        List<Object> counts = rpc.batch(node.tenantId(), node.nodeId(),
                senders.stream().map(a -> new Object[] {"eth_getTransactionCount", a, "latest"}).toList());
        Map<String, Long> minedCount = new HashMap<>();
        for (int i = 0; i < senders.size(); i++) {
            if (counts.get(i) instanceof JsonNode n) {
                minedCount.put(senders.get(i), EthereumRpc.quantity(n).longValueExact());
            }
        }
        Map<UUID, List<TransactionRepository.Attempt>> attempts = new HashMap<>();
        for (List<UUID> chunk : chunks(open.stream().map(TransactionRecord::id).toList(), 1000)) {
            repository.attemptsOf(chunk).forEach(a -> attempts.computeIfAbsent(a.transactionId(), k -> new ArrayList<>()).add(a));
        }
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
        long head = receipts.values().stream().mapToLong(TransactionTracker::blockOf).reduce(headBefore, Math::max);
        // Receipt-driven transitions touch only the database; they are committed together, a chunk at a time.
        List<Transition> transitions = new ArrayList<>();
        for (TransactionRecord t : open) {
            try {
                List<TransactionRepository.Attempt> own = attempts.getOrDefault(t.id(), List.of());
                if (t.status() == TransactionStatus.MINED) {
                    JsonNode receipt = receipts.get(t.submission().hash().toLowerCase());
                    transitions.add(new Transition(t, () -> trackMined(t, receipt, head)));
                } else {
                    TransactionRepository.Attempt minedAttempt = own.stream()
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
    private Map<String, JsonNode> receipts(NodeKey node, List<String> hashes) {
        List<List<String>> chunks = chunks(hashes, RECEIPT_BATCH);
        List<Future<List<Object>>> answers = new ArrayList<>();
        try (ExecutorService lookups = Executors.newFixedThreadPool(RECEIPT_BATCHES_IN_FLIGHT, Thread.ofVirtual().factory())) {
            for (List<String> chunk : chunks) {
                answers.add(lookups.submit(() -> rpc.batch(node.tenantId(), node.nodeId(),
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
     * mined and confirmed in a few commits (issue 4). A chunk that fails rolls back as a whole and is redone one
     * transition at a time, so a transaction that cannot be moved does not hold the others back.
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

    private static boolean isPlainSuccess(TransactionRepository.Attempt attempt, JsonNode receipt) {
        return attempt.purpose() != AttemptPurpose.GAP_FILL && "0x1".equals(receipt.path("status").asString());
    }

    private void onReceipt(TransactionRecord t, TransactionRepository.Attempt attempt, JsonNode receipt, long head) {
        long block = EthereumRpc.quantity(receipt.path("blockNumber")).longValueExact();
        String blockHash = receipt.path("blockHash").asString();
        BigInteger gasUsed = EthereumRpc.quantity(receipt.path("gasUsed"));
        String contractAddress = receipt.path("contractAddress").isString()
                ? io.chainmesh.contract.abi.AbiCodec.checksummed(receipt.path("contractAddress").stringValue(), "contractAddress") : null;
        boolean success = "0x1".equals(receipt.path("status").asString());
        Instant now = Transactions.now();
        if (attempt.purpose() == AttemptPurpose.GAP_FILL) {
            String reason = "rejected by the node: " + t.submission().broadcastError() + "; nonce " + t.submission().nonce()
                    + " was filled by a no-op transaction";
            settle(t, TransactionStatus.FAILED, attempt.hash(), block, blockHash, gasUsed, null, reason, null, now);
            return;
        }
        if (!success) {
            RevertReason revert = replayRevert(t, block, gasUsed);
            settle(t, TransactionStatus.FAILED, attempt.hash(), block, blockHash, gasUsed, null, revert.message(),
                    json.writeValueAsString(revert), now);
            return;
        }
        boolean deepEnough = head - block + 1 >= transactions.requiredConfirmations(t);
        tx.executeWithoutResult(s -> {
            // Mined and already deep enough: one update straight to CONFIRMED, announced as both steps.
            if (repository.transition(t.id(), TransactionStatus.PENDING, deepEnough ? TransactionStatus.CONFIRMED
                    : TransactionStatus.MINED, attempt.hash(), block, blockHash, gasUsed, contractAddress, null, null, now)) {
                events.publish(TransactionEventKind.MINED, t, attempt.hash(), block, null);
                if (deepEnough) {
                    confirmed(t, attempt.hash(), block, contractAddress);
                }
            }
        });
    }

    private void trackMined(TransactionRecord t, JsonNode receipt, long head) {
        Instant now = Transactions.now();
        if (receipt == null) {
            // The block holding it was reorganised away. A node may put it back in its pool, but need not (anvil's
            // evm_revert drops it), so it is sent again in the next round rather than after rebroadcast-after.
            tx.executeWithoutResult(s -> {
                if (repository.transition(t.id(), TransactionStatus.MINED, TransactionStatus.PENDING,
                        null, null, null, null, null, null, null, now)) {
                    repository.clearBroadcast(t.id());
                }
            });
            log.info("Transaction {} left the canonical chain at block {}; tracking it again", t.id(), t.outcome().blockNumber());
            return;
        }
        long block = EthereumRpc.quantity(receipt.path("blockNumber")).longValueExact();
        String blockHash = receipt.path("blockHash").asString();
        BigInteger gasUsed = EthereumRpc.quantity(receipt.path("gasUsed"));
        if (head - block + 1 >= transactions.requiredConfirmations(t)) {
            tx.executeWithoutResult(s -> confirm(t, t.submission().hash(), block, blockHash, gasUsed,
                    t.outcome().contractAddress(), now));
        } else if (!blockHash.equalsIgnoreCase(t.outcome().blockHash())) {
            tx.executeWithoutResult(s -> repository.transition(t.id(), TransactionStatus.MINED, TransactionStatus.MINED,
                    t.submission().hash(), block, blockHash, gasUsed, null, null, null, now));
        }
    }

    private void confirm(TransactionRecord t, String hash, long block, String blockHash, BigInteger gasUsed,
            String contractAddress, Instant now) {
        if (repository.transition(t.id(), TransactionStatus.MINED, TransactionStatus.CONFIRMED, hash, block, blockHash,
                gasUsed, contractAddress, null, null, now)) {
            confirmed(t, hash, block, contractAddress);
        }
    }

    /** Announces a transition to CONFIRMED; inside its database transaction. */
    private void confirmed(TransactionRecord t, String hash, long block, String contractAddress) {
        events.publish(TransactionEventKind.CONFIRMED, t, hash, block, null);
        publisher.publishEvent(new TransactionSettled(t.tenantId(), t.id(), t.request().kind(), t.request().instanceId(),
                TransactionStatus.CONFIRMED, contractAddress));
    }

    private void settle(TransactionRecord t, TransactionStatus status, String hash, Long block, String blockHash,
            BigInteger gasUsed, String contractAddress, String reason, String revert, Instant now) {
        tx.executeWithoutResult(s -> {
            if (repository.transition(t.id(), t.status(), status, hash, block, blockHash, gasUsed, contractAddress, reason,
                    revert, now)) {
                events.publish(TransactionEventKind.settledAs(status), t, hash == null ? t.submission().hash() : hash, block,
                        reason);
                publisher.publishEvent(new TransactionSettled(t.tenantId(), t.id(), t.request().kind(),
                        t.request().instanceId(), status, null));
            }
        });
    }

    /** Re-executes a transaction that failed on chain as a call on the state before its block, to get the revert data. */
    private RevertReason replayRevert(TransactionRecord t, long block, BigInteger gasUsed) {
        TransactionRecord.Request r = t.request();
        ContractAbi abi = r.contractId() == null ? null : contracts.require(t.tenantId(), r.contractId(), "contractId").abi();
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

    private void trackUnmined(TransactionRecord t, List<TransactionRepository.Attempt> own, Long minedCount) {
        Instant now = Transactions.now();
        TransactionRecord.Submission sub = t.submission();
        String from = t.request().from();
        if (minedCount != null && minedCount > sub.nonce() && sub.raw() != null && !own.isEmpty()) {
            // (A row read before it was signed may have been signed, sent and mined since: it is not judged here.)
            // Our receipts were fetched after the count, so none of ours holds the nonce: a foreign transaction took it.
            nonces.catchUp(t.nodeId(), from, minedCount);
            settle(t, TransactionStatus.REPLACED, null, null, null, null, null,
                    "nonce " + sub.nonce() + " was used by another transaction from " + from, null, now);
            return;
        }
        if (sub.raw() == null) {
            // Allocated but never signed: the service stopped between the nonce commit and the signature.
            if (Duration.between(t.request().createdAt(), now).compareTo(Duration.ofSeconds(5)) > 0) {
                TransactionRecord signed = transactions.sign(t, null);
                transactions.broadcast(signed, signed.submission().raw());
            }
            return;
        }
        TransactionRepository.Attempt latest = own.isEmpty() ? null : own.getLast();
        if (sub.broadcastError() != null && own.stream().noneMatch(a -> a.purpose() == AttemptPurpose.GAP_FILL)) {
            fillRejectedNonce(t);
            return;
        }
        if (latest == null) {
            return;
        }
        Duration sinceLastAttempt = Duration.between(t.outcome().updatedAt(), now);
        if (sinceLastAttempt.compareTo(settings.stuckAfter()) > 0) {
            bumpFees(t, latest);
        } else if (sub.broadcastAt() == null || Duration.between(sub.broadcastAt(), now).compareTo(settings.rebroadcastAfter()) > 0) {
            transactions.broadcast(t, latest.raw());
        }
    }

    /**
     * The node refused the transaction for good (e.g. intrinsic gas too low), which would leave a nonce gap that
     * blocks every later transaction of the account. A zero-value self-transfer takes the nonce instead.
     */
    void fillRejectedNonce(TransactionRecord t) {
        TransactionRecord.Request r = t.request();
        Wallet wallet = wallets.require(t.tenantId(), r.walletId());
        EthereumRpc.Fees fees = rpc.fees(t.tenantId(), t.nodeId());
        SignedTransaction filler = wallets.sign(wallet, new UnsignedTransaction(r.chainId(), BigInteger.valueOf(t.submission().nonce()),
                BigInteger.valueOf(21_000), r.from(), BigInteger.ZERO, "0x", fees.maxPriorityFeePerGas(), fees.maxFeePerGas()));
        tx.executeWithoutResult(s -> {
            repository.insertAttempt(new TransactionRepository.Attempt(filler.hash(), t.id(), AttemptPurpose.GAP_FILL,
                    filler.raw(), fees.maxFeePerGas()));
            repository.markResubmitted(t.id(), filler.hash(), filler.raw(), fees.maxFeePerGas(), fees.maxPriorityFeePerGas(), Transactions.now());
        });
        log.info("Filling refused nonce {} of {} with no-op {}", t.submission().nonce(), r.from(), filler.hash());
        try {
            rpc.sendRawTransaction(t.tenantId(), t.nodeId(), filler.raw());
        } catch (RuntimeException e) {
            log.info("No-op filler {} not accepted yet: {}", filler.hash(), e.getMessage());
        }
    }

    /** Resubmits with the same nonce and at least {@code feeBumpPercent} higher fees (nodes demand >= 10% to replace). */
    private void bumpFees(TransactionRecord t, TransactionRepository.Attempt latest) {
        TransactionRecord.Request r = t.request();
        TransactionRecord.Submission sub = t.submission();
        Wallet wallet = wallets.require(t.tenantId(), r.walletId());
        EthereumRpc.Fees current = rpc.fees(t.tenantId(), t.nodeId());
        BigInteger tip = raisedBy(sub.maxPriorityFee(), settings.feeBumpPercent()).max(current.maxPriorityFeePerGas());
        BigInteger maxFee = raisedBy(sub.maxFeePerGas(), settings.feeBumpPercent()).max(current.maxFeePerGas()).max(tip);
        boolean filler = latest.purpose() == AttemptPurpose.GAP_FILL;
        SignedTransaction bumped = wallets.sign(wallet, filler
                ? new UnsignedTransaction(r.chainId(), BigInteger.valueOf(sub.nonce()), BigInteger.valueOf(21_000), r.from(),
                        BigInteger.ZERO, "0x", tip, maxFee)
                : new UnsignedTransaction(r.chainId(), BigInteger.valueOf(sub.nonce()), sub.gasLimit(), r.to(), r.value(),
                        r.data(), tip, maxFee));
        Instant now = Transactions.now();
        tx.executeWithoutResult(s -> {
            repository.insertAttempt(new TransactionRepository.Attempt(bumped.hash(), t.id(),
                    filler ? AttemptPurpose.GAP_FILL : AttemptPurpose.FEE_BUMP, bumped.raw(), maxFee));
            repository.markResubmitted(t.id(), bumped.hash(), bumped.raw(), maxFee, tip, now);
            events.publish(TransactionEventKind.SUBMITTED, t, bumped.hash(), null, null);
        });
        log.info("Transaction {} (nonce {}) stuck; resubmitted as {} with max fee {} (+{}%)", t.id(), sub.nonce(),
                bumped.hash(), maxFee, settings.feeBumpPercent());
        try {
            rpc.sendRawTransaction(t.tenantId(), t.nodeId(), bumped.raw());
        } catch (RuntimeException e) {
            log.info("Fee-bumped {} not accepted yet: {}", bumped.hash(), e.getMessage());
        }
    }

    /**
     * {@code fee} raised by {@code percent}, rounded up: rounding down would let a small fee (a tip of a few wei) rise
     * by less than the 10% a node demands of a replacement, or not at all.
     */
    static BigInteger raisedBy(BigInteger fee, int percent) {
        BigInteger hundred = BigInteger.valueOf(100);
        return fee.multiply(BigInteger.valueOf(100L + percent)).add(hundred.subtract(BigInteger.ONE)).divide(hundred);
    }

    private static <T> List<List<T>> chunks(List<T> list, int size) {
        List<List<T>> out = new ArrayList<>();
        for (int i = 0; i < list.size(); i += size) {
            out.add(list.subList(i, Math.min(list.size(), i + size)));
        }
        return out;
    }

}
