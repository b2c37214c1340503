package io.chainmesh.contract.transaction;

import java.math.BigInteger;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.stereotype.Service;

import io.chainmesh.common.pagination.Page;
import io.chainmesh.common.pagination.PageCursor;
import io.chainmesh.contract.ContractErrors;
import io.chainmesh.contract.ContractProperties;
import io.chainmesh.contract.wallet.Wallet;
import tools.jackson.databind.JsonNode;

/**
 * Transactions as persisted operations, whatever the chain: idempotent submission, the state a caller reads back,
 * and the bounded wait of {@code ?confirm=true}. The chain's part (estimating, ordering, signing, broadcasting,
 * tracking) is its connector's; what it records goes through {@link TransactionLedger}.
 *
 * <p>Idempotency follows Stripe: the first request with an {@code Idempotency-Key} stores its response together with
 * the transaction, in the same database transaction; a retry with the same key and the same request gets that
 * response back, with a different request a 422 {@code idempotency_key_reused}.
 */
@Service
public class Transactions {

    private final TransactionRepository repository;
    private final TransactionLedger ledger;
    private final ContractProperties.Transactions settings;

    Transactions(TransactionRepository repository, TransactionLedger ledger, ContractProperties properties) {
        this.repository = repository;
        this.ledger = ledger;
        this.settings = properties.transactions();
    }

    /**
     * What to send. {@code to} null means contract creation; {@code gasLimit} null means estimate it (a revert at
     * estimation then records a FAILED transaction without spending a nonce); {@code confirmations} null means the
     * configured depth.
     */
    public record Send(UUID tenantId, UUID nodeId, Wallet wallet, TransactionKind kind, UUID instanceId, UUID contractId,
            String to, String method, JsonNode args, String data, BigInteger value, BigInteger gasLimit,
            String idempotencyKey, String requestHash, Integer confirmations) {
    }

    /**
     * Runs inside the database transaction that records the transaction with its place on the chain (EVM: nonce); a
     * deploy creates its instance here. It may run again (with another place) when that transaction, shared with
     * other sends of the account, rolled back, so it must only write to the database.
     */
    @FunctionalInterface
    public interface OnAssigned {
        /** @param contractAddress where a deployment's contract will be, null for a send */
        void assigned(UUID transactionId, String contractAddress);
    }

    /** The body answered for a transaction; {@code contractAddress} as for {@link OnAssigned}, null when not known. */
    @FunctionalInterface
    public interface ResponseOf {
        Object response(TransactionView transaction, String contractAddress);
    }

    /** The outcome of a submission; {@code response} is the JSON body to answer with (the stored one on replay). */
    public record Submitted(TransactionView transaction, String response, boolean replayed) {
    }

    /**
     * Looks up an earlier submission by idempotency key: empty when new, the stored response, or 422 on a mismatch.
     * Callers ask before they {@link #submit} (and before any work a replay would not need).
     */
    public Optional<Submitted> replay(UUID tenantId, String idempotencyKey, String requestHash) {
        if (idempotencyKey == null) {
            return Optional.empty();
        }
        return repository.findByIdempotencyKey(tenantId, idempotencyKey).map(existing -> {
            if (!Objects.equals(existing.request().requestHash(), requestHash)) {
                throw ContractErrors.IDEMPOTENCY_KEY_REUSED.exception("Idempotency-Key '" + idempotencyKey + "' was already used with a different request")
                        .with("transactionId", existing.id());
            }
            return new Submitted(ledger.view(existing), existing.request().response(), true);
        });
    }

    /**
     * Runs a connector's {@code submission} of {@code send}. The caller has already looked for a replay of
     * {@code send.idempotencyKey()}; a concurrent request with the same key that commits first is answered here.
     */
    public Submitted submit(Send send, Supplier<Submitted> submission) {
        try {
            return submission.get();
        } catch (DuplicateKeyException e) {
            // A concurrent request with the same Idempotency-Key committed first: answer as its retry would be.
            return replay(send.tenantId(), send.idempotencyKey(), send.requestHash()).orElseThrow(() -> e);
        }
    }

    /** Waits up to {@code max} for the transaction to settle (CONFIRMED, FAILED, REPLACED); returns its latest state. */
    public TransactionView awaitSettled(UUID tenantId, UUID id, Duration max) {
        Duration wait = max.compareTo(settings.maxConfirmWait()) > 0 ? settings.maxConfirmWait() : max;
        long deadline = System.nanoTime() + wait.toNanos();
        while (true) {
            TransactionRecord t = repository.find(tenantId, id).orElseThrow(() -> ContractErrors.notFound("Transaction", id));
            if (t.status().isTerminal() || System.nanoTime() > deadline) {
                return ledger.view(t);
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return ledger.view(t);
            }
        }
    }

    public TransactionView get(UUID tenantId, UUID id) {
        return ledger.view(repository.find(tenantId, id).orElseThrow(() -> ContractErrors.notFound("Transaction", id)));
    }

    Page<TransactionView> list(UUID tenantId, UUID instanceId, TransactionStatus status, PageCursor after, int limit) {
        return Page.of(repository.page(tenantId, instanceId, status, after, limit), limit,
                t -> new PageCursor(t.request().createdAt(), t.id()), ledger::view);
    }
}
