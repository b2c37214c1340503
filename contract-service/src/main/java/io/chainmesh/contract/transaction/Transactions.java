package io.chainmesh.contract.transaction;

import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

import io.chainmesh.common.problem.ApiException;
import io.chainmesh.contract.ContractProperties;
import io.chainmesh.contract.abi.ContractAbi;
import io.chainmesh.contract.abi.RevertReason;
import io.chainmesh.contract.chain.ChainNode;
import io.chainmesh.contract.chain.ChainUnavailableException;
import io.chainmesh.contract.chain.EthereumRpc;
import io.chainmesh.contract.chain.NodeDirectory;
import io.chainmesh.contract.chain.RpcErrorException;
import io.chainmesh.common.pagination.Page;
import io.chainmesh.common.pagination.PageCursor;
import io.chainmesh.contract.wallet.SignedTransaction;
import io.chainmesh.contract.wallet.UnsignedTransaction;
import io.chainmesh.contract.wallet.Wallet;
import io.chainmesh.contract.wallet.Wallets;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The transaction manager's front door: turns a send or deploy into a persisted, signed, nonce-ordered transaction
 * and broadcasts it. What happens after (receipts, confirmations, rebroadcast, fee bumps) is {@link TransactionTracker}.
 *
 * <p>Idempotency follows Stripe: the first request with an {@code Idempotency-Key} stores its response together with
 * the transaction, in the same database transaction; a retry with the same key and the same request gets that
 * response back, with a different request a 422 {@code idempotency_key_reused}.
 */
@Service
public class Transactions {

    private static final Logger log = LoggerFactory.getLogger(Transactions.class);

    private final TransactionRepository repository;
    private final NonceAllocator nonces;
    private final TransactionEvents events;
    private final Wallets wallets;
    private final NodeDirectory nodes;
    private final EthereumRpc rpc;
    private final TransactionTemplate tx;
    private final JsonMapper json;
    private final ContractProperties.Transactions settings;
    private final Map<String, CachedNode> nodeCache = new ConcurrentHashMap<>();

    Transactions(TransactionRepository repository, NonceAllocator nonces, TransactionEvents events, Wallets wallets,
            NodeDirectory nodes, EthereumRpc rpc, TransactionTemplate tx, JsonMapper json, ContractProperties properties) {
        this.repository = repository;
        this.nonces = nonces;
        this.events = events;
        this.wallets = wallets;
        this.nodes = nodes;
        this.rpc = rpc;
        this.tx = tx;
        this.json = json;
        this.settings = properties.transactions();
    }

    private record CachedNode(ChainNode node, long expiresAtNanos) {
    }

    /**
     * What to send. {@code to} null means contract creation; {@code gasLimit} null means estimate it (a revert at
     * estimation then records a FAILED transaction without spending a nonce); {@code confirmations} null means the
     * configured depth.
     */
    public record Send(UUID tenantId, UUID nodeId, Wallet wallet, TransactionKind kind, UUID instanceId, UUID contractId,
            ContractAbi abi, String to, String method, JsonNode args, String data, BigInteger value, BigInteger gasLimit,
            String idempotencyKey, String requestHash, Integer confirmations) {
    }

    /**
     * Runs inside the database transaction that assigns {@code nonce}; a deploy creates its instance here. It runs again
     * (with another nonce) when that transaction, shared with other sends of the account, rolled back, so it must only
     * write to the database.
     */
    @FunctionalInterface
    public interface OnNonceAssigned {
        void assigned(UUID transactionId, String from, long nonce);
    }

    /** The outcome of a submission; {@code response} is the JSON body to answer with (the stored one on replay). */
    public record Submitted(TransactionView transaction, String response, boolean replayed) {
    }

    /**
     * Looks up an earlier submission by idempotency key: empty when new, the stored response, or 422 on a mismatch.
     * Callers ask before they {@link #submit} (and before any work a replay would not need).
     */
    public java.util.Optional<Submitted> replay(UUID tenantId, String idempotencyKey, String requestHash) {
        if (idempotencyKey == null) {
            return java.util.Optional.empty();
        }
        return repository.findByIdempotencyKey(tenantId, idempotencyKey).map(existing -> {
            if (!Objects.equals(existing.request().requestHash(), requestHash)) {
                throw new ApiException(HttpStatus.UNPROCESSABLE_CONTENT, "idempotency_key_reused", "Idempotency key reused",
                        "Idempotency-Key '" + idempotencyKey + "' was already used with a different request")
                        .with("transactionId", existing.id());
            }
            return new Submitted(view(existing), existing.request().response(), true);
        });
    }

    /**
     * Estimates, allocates the nonce, signs and broadcasts. The caller has already looked for a replay of
     * {@code send.idempotencyKey()}; a concurrent request with the same key that commits first is answered here.
     */
    public Submitted submit(Send send, OnNonceAssigned onNonceAssigned, Function<TransactionView, Object> responseOf) {
        ChainNode node = node(send.tenantId(), send.nodeId());
        String from = send.wallet().address();
        BigInteger value = send.value() == null ? BigInteger.ZERO : send.value();
        EthereumRpc.CallRequest call = new EthereumRpc.CallRequest(from, send.to(), send.data(), value);
        BigInteger gasLimit = send.gasLimit();
        if (gasLimit != null) {
            long least = IntrinsicGas.of(send.data(), send.to() == null);
            if (gasLimit.compareTo(BigInteger.valueOf(least)) < 0) {
                throw ApiException.badRequest("gas_limit_too_low", "gasLimit " + gasLimit + " is below the " + least
                        + " gas this transaction costs before it executes; the node would drop it").with("field", "gasLimit");
            }
        }
        RevertReason revert = null;
        if (gasLimit == null) {
            try {
                BigInteger estimate = rpc.estimateGas(send.tenantId(), send.nodeId(), call);
                gasLimit = estimate.multiply(BigInteger.valueOf(settings.gasLimitPercent())).divide(BigInteger.valueOf(100));
            } catch (RpcErrorException e) {
                if (!e.isRevert()) {
                    throw new ApiException(HttpStatus.UNPROCESSABLE_CONTENT, "estimation_failed", "Gas estimation failed",
                            "The node could not estimate gas: " + e.getMessage());
                }
                revert = RevertReason.decode(e.data(), send.abi());
            }
        }
        try {
            return revert == null ? persistSigned(send, node, from, value, gasLimit, onNonceAssigned, responseOf)
                    : persistReverted(send, node, from, value, revert, responseOf);
        } catch (DuplicateKeyException e) {
            // A concurrent request with the same Idempotency-Key committed first: answer as its retry would be.
            return replay(send.tenantId(), send.idempotencyKey(), send.requestHash()).orElseThrow(() -> e);
        }
    }

    private Submitted persistReverted(Send send, ChainNode node, String from, BigInteger value, RevertReason revert,
            Function<TransactionView, Object> responseOf) {
        Instant now = now();
        TransactionRecord record = new TransactionRecord(request(send, UUID.randomUUID(), node, from, value,
                send.kind() == TransactionKind.DEPLOY ? null : send.instanceId(), now), TransactionRecord.Submission.NONE,
                TransactionRecord.Outcome.of(TransactionStatus.FAILED, revert.message(), json.writeValueAsString(revert), now));
        String response = json.writeValueAsString(responseOf.apply(view(record)));
        TransactionRecord stored = record.withResponse(response);
        tx.executeWithoutResult(status -> {
            repository.insert(stored);
            events.publish(TransactionEventKind.FAILED, stored, null, null, revert.message());
        });
        return new Submitted(view(stored), response, false);
    }

    private TransactionRecord.Request request(Send send, UUID id, ChainNode node, String from, BigInteger value,
            UUID instanceId, Instant now) {
        return new TransactionRecord.Request(id, send.tenantId(), send.kind(), send.nodeId(), node.chainId(),
                send.wallet().id(), instanceId, send.contractId(), from, send.to(), send.method(), argsJson(send.args()),
                send.data(), value, confirmationsOf(send), send.idempotencyKey(), send.requestHash(), null, now);
    }

    private Submitted persistSigned(Send send, ChainNode node, String from, BigInteger value, BigInteger gasLimit,
            OnNonceAssigned onNonceAssigned, Function<TransactionView, Object> responseOf) {
        EthereumRpc.Fees fees = rpc.fees(send.tenantId(), send.nodeId());
        UUID id = UUID.randomUUID();
        // The account's nonce row lock is held only for these inserts (batched with other concurrent sends of the
        // account, see NonceAllocator); signing and the broadcast happen after the commit. A crash before the
        // signature is stored leaves an unsigned PENDING row that the tracker signs and broadcasts (deterministic
        // RFC 6979 signatures make a double signing harmless: both produce the same transaction).
        TransactionRecord allocated = nonces.allocate(send.nodeId(), from,
                () -> rpc.transactionCount(send.tenantId(), send.nodeId(), from, "pending").longValueExact(), nonce -> {
                    onNonceAssigned.assigned(id, from, nonce);
                    Instant now = now();
                    TransactionRecord record = new TransactionRecord(request(send, id, node, from, value, send.instanceId(), now),
                            new TransactionRecord.Submission(nonce, gasLimit, fees.maxFeePerGas(), fees.maxPriorityFeePerGas(),
                                    null, null, null, null, 0),
                            TransactionRecord.Outcome.of(TransactionStatus.PENDING, null, null, now));
                    TransactionRecord stored = record.withResponse(json.writeValueAsString(responseOf.apply(view(record))));
                    repository.insert(stored);
                    return stored;
                });
        SignedTransaction signature = wallets.sign(send.wallet(), unsigned(allocated));
        TransactionRecord signed = allocated.withSignature(signature.hash(), signature.raw());
        String response = json.writeValueAsString(responseOf.apply(view(signed)));
        // Sent before the signature is recorded, so that recording it and the broadcast's outcome is one commit. A
        // crash in between is the unsigned-row case above: the tracker signs the same transaction again.
        Delivery delivery = deliver(signed, signature.raw());
        tx.executeWithoutResult(status -> {
            recordSignature(signed, signature, response);
            record(signed, delivery);
        });
        return new Submitted(view(signed), response, false);
    }

    private static UnsignedTransaction unsigned(TransactionRecord t) {
        TransactionRecord.Request r = t.request();
        TransactionRecord.Submission s = t.submission();
        return new UnsignedTransaction(r.chainId(), BigInteger.valueOf(s.nonce()), s.gasLimit(), r.to(), r.value(),
                r.data(), s.maxPriorityFee(), s.maxFeePerGas());
    }

    /** Signs an allocated transaction and records the signature, its response and {@code tx.submitted}. */
    TransactionRecord sign(TransactionRecord t, Function<TransactionView, Object> responseOf) {
        Wallet wallet = wallets.require(t.tenantId(), t.request().walletId());
        SignedTransaction signed = wallets.sign(wallet, unsigned(t));
        TransactionRecord withSignature = t.withSignature(signed.hash(), signed.raw());
        String response = responseOf == null ? null : json.writeValueAsString(responseOf.apply(view(withSignature)));
        tx.executeWithoutResult(status -> recordSignature(withSignature, signed, response));
        return response == null ? withSignature : withSignature.withResponse(response);
    }

    /**
     * Stores the first signature of {@code t} with its attempt and {@code tx.submitted}; when another path (the
     * tracker) signed it first, that identical signature stands and only the response is brought up to date.
     * Must run inside a database transaction.
     */
    private void recordSignature(TransactionRecord t, SignedTransaction signed, String response) {
        if (repository.setSignature(t.id(), signed.hash(), signed.raw(), response)) {
            repository.insertAttempt(new TransactionRepository.Attempt(signed.hash(), t.id(), AttemptPurpose.ORIGINAL,
                    signed.raw(), t.submission().maxFeePerGas()));
            events.publish(TransactionEventKind.SUBMITTED, t, signed.hash(), null, null);
        } else if (response != null) {
            repository.setResponse(t.id(), response);
        }
    }

    /** What came of handing a signed transaction to the node: accepted, to be sent again later, or refused for good. */
    private record Delivery(boolean accepted, String refusal) {
        static final Delivery ACCEPTED = new Delivery(true, null);
        static final Delivery DEFERRED = new Delivery(false, null);
    }

    /**
     * Sends a signed transaction. Transport failures leave it for the tracker's rebroadcast; answers meaning the node
     * already has it (or a later state) are success; any other refusal is permanent and handled by
     * {@link TransactionTracker#fillRejectedNonce}.
     */
    void broadcast(TransactionRecord t, String raw) {
        record(t, deliver(t, raw));
    }

    private Delivery deliver(TransactionRecord t, String raw) {
        try {
            rpc.sendRawTransaction(t.tenantId(), t.nodeId(), raw);
            return Delivery.ACCEPTED;
        } catch (ChainUnavailableException e) {
            log.debug("Broadcast of {} deferred: {}", t.id(), e.getMessage());
        } catch (RpcErrorException e) {
            if (isAlreadyKnown(e)) {
                return Delivery.ACCEPTED;
            } else if (!isPermanentRejection(e)) {
                // e.g. the proxy's "node unavailable": not a verdict on the transaction; the tracker rebroadcasts it
                log.debug("Broadcast of {} deferred: {}", t.id(), e.getMessage());
            } else {
                log.info("Node refused transaction {} (nonce {}): {}", t.id(), t.submission().nonce(), e.getMessage());
                return new Delivery(false, e.getMessage());
            }
        } catch (ApiException e) {
            log.info("Broadcast of {} failed: {}", t.id(), e.getMessage());
        }
        return Delivery.DEFERRED;
    }

    private void record(TransactionRecord t, Delivery delivery) {
        if (delivery.accepted()) {
            repository.markBroadcast(t.id(), now());
        } else if (delivery.refusal() != null) {
            repository.markRejected(t.id(), delivery.refusal(), now());
        }
    }

    static boolean isAlreadyKnown(RpcErrorException e) {
        String m = e.getMessage() == null ? "" : e.getMessage().toLowerCase();
        return m.contains("already known") || m.contains("already imported") || m.contains("nonce too low")
                || m.contains("replacement transaction underpriced") || m.contains("known transaction")
                || m.contains("already exists");
    }

    /**
     * Node verdicts on the transaction itself (geth/anvil/besu txpool validation messages). Anything else, notably
     * proxy or transport errors, is treated as transient: a wrongly "permanent" verdict would burn the nonce.
     */
    static boolean isPermanentRejection(RpcErrorException e) {
        String m = e.getMessage() == null ? "" : e.getMessage().toLowerCase();
        return m.contains("insufficient funds") || m.contains("intrinsic gas") || m.contains("exceeds block gas limit")
                || m.contains("gas limit reached") || m.contains("invalid sender") || m.contains("invalid signature")
                || m.contains("tip higher than fee cap") || m.contains("max priority fee per gas higher")
                || m.contains("oversized data") || m.contains("exceeds the configured cap") || m.contains("invalid chain id")
                || m.contains("incorrect chain id") || m.contains("not supported");
    }

    /** Waits up to {@code max} for the transaction to settle (CONFIRMED, FAILED, REPLACED); returns its latest state. */
    public TransactionView awaitSettled(UUID tenantId, UUID id, Duration max) {
        Duration wait = max.compareTo(settings.maxConfirmWait()) > 0 ? settings.maxConfirmWait() : max;
        long deadline = System.nanoTime() + wait.toNanos();
        while (true) {
            TransactionRecord t = repository.find(tenantId, id).orElseThrow(() -> ApiException.notFound("Transaction", id));
            if (t.status().isTerminal() || System.nanoTime() > deadline) {
                return view(t);
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return view(t);
            }
        }
    }

    public ChainNode node(UUID tenantId, UUID nodeId) {
        String key = tenantId + "/" + nodeId;
        CachedNode cached = nodeCache.get(key);
        long now = System.nanoTime();
        if (cached != null && cached.expiresAtNanos() - now > 0) {
            return cached.node();
        }
        ChainNode node = nodes.node(tenantId, nodeId);
        // Short cache: a burst of sends to one node costs one lookup; ownership changes are seen within seconds.
        nodeCache.put(key, new CachedNode(node, now + Duration.ofSeconds(5).toNanos()));
        return node;
    }

    public TransactionView get(UUID tenantId, UUID id) {
        return view(repository.find(tenantId, id).orElseThrow(() -> ApiException.notFound("Transaction", id)));
    }

    Page<TransactionView> list(UUID tenantId, UUID instanceId, TransactionStatus status, PageCursor after, int limit) {
        return Page.of(repository.page(tenantId, instanceId, status, after, limit), limit,
                t -> new PageCursor(t.request().createdAt(), t.id()), this::view);
    }

    TransactionView view(TransactionRecord t) {
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

    /** Blocks (including its own) {@code t} must have before it is CONFIRMED. */
    int requiredConfirmations(TransactionRecord t) {
        return t.request().confirmations() == null ? settings.confirmations() : t.request().confirmations();
    }

    private int confirmationsOf(Send send) {
        return send.confirmations() == null ? settings.confirmations() : send.confirmations();
    }

    private String argsJson(JsonNode args) {
        return args == null || args.isNull() || args.isMissingNode() ? null : json.writeValueAsString(args);
    }

    private static String str(BigInteger v) {
        return v == null ? null : v.toString();
    }

    static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.MICROS);
    }

}
