package io.chainmesh.contract.transaction;

import java.math.BigInteger;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

import io.chainmesh.contract.ContractProperties;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * What a chain connector records of the transactions it submits and tracks: the rows, their signed attempts and
 * delivery, and each state transition, which the ledger announces on {@code chainmesh.tx} (and, when a transaction
 * settles, as a {@link TransactionSettled} application event) in the same database transaction. Every transition is
 * a conditional update, so when two replicas see the same receipt only one moves the row and only it announces.
 *
 * <p>Methods that do not say otherwise join the caller's database transaction; a connector groups what must commit
 * together.
 */
@Component
public class TransactionLedger {

    private static final int ATTEMPT_QUERY_CHUNK = 1000;

    private final TransactionRepository repository;
    private final TransactionEvents events;
    private final ApplicationEventPublisher publisher;
    private final TransactionTemplate tx;
    private final JsonMapper json;
    private final ContractProperties.Transactions settings;

    TransactionLedger(TransactionRepository repository, TransactionEvents events, ApplicationEventPublisher publisher,
            TransactionTemplate tx, JsonMapper json, ContractProperties properties) {
        this.repository = repository;
        this.events = events;
        this.publisher = publisher;
        this.tx = tx;
        this.json = json;
        this.settings = properties.transactions();
    }

    /** Timestamps as PostgreSQL stores them, so a row read back equals the one written. */
    public static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.MICROS);
    }

    // ------------------------------------------------------------------ submission

    /** The request part of a new row for {@code send}, sent from {@code from} on chain {@code chainId}. */
    public TransactionRecord.Request request(Transactions.Send send, UUID id, long chainId, String from, BigInteger value,
            UUID instanceId, Instant now) {
        JsonNode args = send.args();
        String argsJson = args == null || args.isNull() || args.isMissingNode() ? null : json.writeValueAsString(args);
        return new TransactionRecord.Request(id, send.tenantId(), send.kind(), send.nodeId(), chainId, send.wallet().id(),
                instanceId, send.contractId(), from, send.to(), send.method(), argsJson, send.data(), value,
                send.confirmations() == null ? settings.confirmations() : send.confirmations(), send.idempotencyKey(),
                send.requestHash(), null, now);
    }

    /** Stores a new transaction; inside the database transaction that orders it (for the EVM, allocates its nonce). */
    public void insert(TransactionRecord t) {
        repository.insert(t);
    }

    /** Stores and announces a transaction refused before it was ordered (a revert at gas estimation); own commit. */
    public void insertFailed(TransactionRecord t) {
        tx.executeWithoutResult(status -> {
            repository.insert(t);
            events.publish(TransactionEventKind.FAILED, t, null, null, t.outcome().revertReason());
        });
    }

    /**
     * Stores the first signature of {@code t} (its submission carries it) with its attempt and {@code tx.submitted};
     * when another path signed it first, that identical signature stands and only the response is brought up to date.
     */
    public void recordSignature(TransactionRecord t, String response) {
        TransactionRecord.Submission s = t.submission();
        if (repository.setSignature(t.id(), s.hash(), s.raw(), response)) {
            repository.insertAttempt(new TransactionAttempt(s.hash(), t.id(), AttemptPurpose.ORIGINAL, s.raw(),
                    s.maxFeePerGas()));
            events.publish(TransactionEventKind.SUBMITTED, t, s.hash(), null, null);
        } else if (response != null) {
            repository.setResponse(t.id(), response);
        }
    }

    /** The node accepted the transaction (or already had it). */
    public void markBroadcast(TransactionRecord t) {
        repository.markBroadcast(t.id(), now());
    }

    /** The node refused the transaction for good; it stays PENDING until its connector settles what holds its place. */
    public void markRefused(TransactionRecord t, String refusal) {
        repository.markRejected(t.id(), refusal, now());
    }

    /**
     * Records a new signed attempt that replaces the latest one (same place on the chain), sent now; announced as
     * {@code tx.submitted} when {@code announce}.
     */
    public void recordResubmission(TransactionRecord t, AttemptPurpose purpose, String hash, String raw,
            BigInteger maxFeePerGas, BigInteger maxPriorityFee, boolean announce) {
        repository.insertAttempt(new TransactionAttempt(hash, t.id(), purpose, raw, maxFeePerGas));
        repository.markResubmitted(t.id(), hash, raw, maxFeePerGas, maxPriorityFee, now());
        if (announce) {
            events.publish(TransactionEventKind.SUBMITTED, t, hash, null, null);
        }
    }

    // ------------------------------------------------------------------ tracking

    /**
     * Open (PENDING or MINED) transactions across tenants, oldest nonce first per account, without their stored
     * responses. Cross-tenant by design: only tracking reads it, and every row carries its tenant into the chain call.
     */
    public List<TransactionRecord> open(int limit) {
        return repository.open(limit);
    }

    /** The signed attempts of each transaction, oldest first. */
    public Map<UUID, List<TransactionAttempt>> attempts(Collection<UUID> transactionIds) {
        List<UUID> ids = List.copyOf(transactionIds);
        Map<UUID, List<TransactionAttempt>> attempts = new HashMap<>();
        for (int i = 0; i < ids.size(); i += ATTEMPT_QUERY_CHUNK) {
            repository.attemptsOf(ids.subList(i, Math.min(ids.size(), i + ATTEMPT_QUERY_CHUNK)))
                    .forEach(a -> attempts.computeIfAbsent(a.transactionId(), k -> new ArrayList<>()).add(a));
        }
        return attempts;
    }

    /** Blocks (including its own) {@code t} must have before it is CONFIRMED. */
    public int requiredConfirmations(TransactionRecord t) {
        Integer own = t.request().confirmations();
        return own == null ? settings.confirmations() : own;
    }

    /**
     * A PENDING transaction was mined as {@code hash}: MINED, or straight to CONFIRMED when already deep enough
     * (announced as both steps). False when another run moved it first.
     */
    public boolean mined(TransactionRecord t, String hash, Inclusion at, boolean deepEnough) {
        if (!repository.transition(t.id(), TransactionStatus.PENDING, deepEnough ? TransactionStatus.CONFIRMED
                : TransactionStatus.MINED, hash, at.blockNumber(), at.blockHash(), at.gasUsed(), at.contractAddress(),
                null, null, now())) {
            return false;
        }
        events.publish(TransactionEventKind.MINED, t, hash, at.blockNumber(), null);
        if (deepEnough) {
            confirmed(t, hash, at);
        }
        return true;
    }

    /** A MINED transaction has its depth: CONFIRMED. */
    public void confirm(TransactionRecord t, Inclusion at) {
        String hash = t.submission().hash();
        if (repository.transition(t.id(), TransactionStatus.MINED, TransactionStatus.CONFIRMED, hash, at.blockNumber(),
                at.blockHash(), at.gasUsed(), at.contractAddress(), null, null, now())) {
            confirmed(t, hash, at);
        }
    }

    /** A MINED transaction is in another block now (a reorganisation re-included it): still MINED, new receipt. */
    public void moved(TransactionRecord t, Inclusion at) {
        repository.transition(t.id(), TransactionStatus.MINED, TransactionStatus.MINED, t.submission().hash(),
                at.blockNumber(), at.blockHash(), at.gasUsed(), null, null, null, now());
    }

    /**
     * The block holding a MINED transaction was reorganised away: PENDING again, and sent again in the next round
     * (a node may put it back in its pool, but need not).
     */
    public void reorged(TransactionRecord t) {
        if (repository.transition(t.id(), TransactionStatus.MINED, TransactionStatus.PENDING, null, null, null, null,
                null, null, null, now())) {
            repository.clearBroadcast(t.id());
        }
    }

    /**
     * {@code t} ends FAILED or REPLACED, with {@code reason} (and the decoded revert as JSON, if any); {@code at} is
     * where the attempt that failed was included, null when none was.
     */
    public void settle(TransactionRecord t, TransactionStatus status, String hash, Inclusion at, String reason,
            String revert) {
        Long block = at == null ? null : at.blockNumber();
        if (repository.transition(t.id(), t.status(), status, hash, block, at == null ? null : at.blockHash(),
                at == null ? null : at.gasUsed(), null, reason, revert, now())) {
            events.publish(TransactionEventKind.settledAs(status), t, hash == null ? t.submission().hash() : hash, block,
                    reason);
            publisher.publishEvent(new TransactionSettled(t.tenantId(), t.id(), t.request().kind(),
                    t.request().instanceId(), status, null));
        }
    }

    /** Announces a transition to CONFIRMED; inside its database transaction. */
    private void confirmed(TransactionRecord t, String hash, Inclusion at) {
        events.publish(TransactionEventKind.CONFIRMED, t, hash, at.blockNumber(), null);
        publisher.publishEvent(new TransactionSettled(t.tenantId(), t.id(), t.request().kind(), t.request().instanceId(),
                TransactionStatus.CONFIRMED, at.contractAddress()));
    }

    // ------------------------------------------------------------------ views

    public TransactionView view(TransactionRecord t) {
        TransactionRecord.Request r = t.request();
        TransactionRecord.Submission s = t.submission();
        TransactionRecord.Outcome o = t.outcome();
        return new TransactionView(r.id(), r.kind().wireName(), r.nodeId(), r.chainId(), r.walletId(), r.instanceId(),
                r.from(), r.to(), r.method(), r.args() == null ? null : json.readTree(r.args()), s.nonce(), s.hash(),
                o.status(), requiredConfirmations(t), str(r.value()), str(s.gasLimit()), str(s.maxFeePerGas()),
                str(s.maxPriorityFee()), o.blockNumber(), o.blockHash(), str(o.gasUsed()), o.contractAddress(),
                o.revertReason(), o.revert() == null ? null : json.readTree(o.revert()), s.resubmissions(), r.createdAt(),
                o.updatedAt(), o.minedAt(), o.confirmedAt());
    }

    private static String str(BigInteger v) {
        return v == null ? null : v.toString();
    }
}
