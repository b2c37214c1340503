package io.chainmesh.contract.evm.tx;

import java.math.BigInteger;
import java.time.Instant;
import java.util.UUID;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;
import org.web3j.crypto.ContractUtils;
import org.web3j.crypto.Keys;

import io.chainmesh.common.problem.ApiException;
import io.chainmesh.contract.ContractErrors;
import io.chainmesh.contract.ContractProperties;
import io.chainmesh.contract.definition.Contracts;
import io.chainmesh.contract.evm.abi.ContractAbi;
import io.chainmesh.contract.evm.abi.EvmContract;
import io.chainmesh.contract.evm.abi.RevertReason;
import io.chainmesh.contract.evm.rpc.EthereumRpc;
import io.chainmesh.contract.evm.rpc.RpcErrorException;
import io.chainmesh.contract.node.ChainNode;
import io.chainmesh.contract.node.ChainUnavailableException;
import io.chainmesh.contract.transaction.AttemptPurpose;
import io.chainmesh.contract.transaction.TransactionKind;
import io.chainmesh.contract.transaction.TransactionLedger;
import io.chainmesh.contract.transaction.TransactionRecord;
import io.chainmesh.contract.transaction.TransactionStatus;
import io.chainmesh.contract.transaction.Transactions;
import io.chainmesh.contract.wallet.Wallet;
import io.chainmesh.contract.wallet.Wallets;
import tools.jackson.databind.json.JsonMapper;

/**
 * The EVM transaction manager's front door: turns a send or deploy into an estimated, priced, nonce-ordered,
 * persisted and signed transaction and broadcasts it. What happens after (receipts, confirmations, rebroadcast, fee
 * bumps) is decided by {@link ReceiptPoller} and its helpers, which sign and send through here.
 */
@Component
public class TransactionSender {

    private static final Logger log = LoggerFactory.getLogger(TransactionSender.class);

    private final EthereumRpc rpc;
    private final FeeOracle fees;
    private final NonceAllocator nonces;
    private final TransactionSigner signer;
    private final TransactionLedger ledger;
    private final Contracts contracts;
    private final Wallets wallets;
    private final TransactionTemplate tx;
    private final JsonMapper json;
    private final ContractProperties.Transactions settings;

    TransactionSender(EthereumRpc rpc, FeeOracle fees, NonceAllocator nonces, TransactionSigner signer,
            TransactionLedger ledger, Contracts contracts, Wallets wallets, TransactionTemplate tx, JsonMapper json,
            ContractProperties properties) {
        this.rpc = rpc;
        this.fees = fees;
        this.nonces = nonces;
        this.signer = signer;
        this.ledger = ledger;
        this.contracts = contracts;
        this.wallets = wallets;
        this.tx = tx;
        this.json = json;
        this.settings = properties.transactions();
    }

    /** Estimates, allocates the nonce, signs and broadcasts. */
    public Transactions.Submitted submit(ChainNode node, Transactions.Send send, Transactions.OnAssigned onAssigned,
            Transactions.ResponseOf responseOf) {
        String from = send.wallet().address();
        BigInteger value = send.value() == null ? BigInteger.ZERO : send.value();
        EthereumRpc.CallRequest call = new EthereumRpc.CallRequest(from, send.to(), send.data(), value);
        BigInteger gasLimit = send.gasLimit();
        if (gasLimit != null) {
            long least = IntrinsicGas.of(send.data(), send.to() == null);
            if (gasLimit.compareTo(BigInteger.valueOf(least)) < 0) {
                throw ContractErrors.GAS_LIMIT_TOO_LOW.exception("gasLimit " + gasLimit + " is below the " + least
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
                    throw ContractErrors.ESTIMATION_FAILED.exception("The node could not estimate gas: " + e.getMessage());
                }
                revert = RevertReason.decode(e.data(), abiOf(send));
            }
        }
        return revert == null ? persistSigned(send, node, from, value, gasLimit, onAssigned, responseOf)
                : persistReverted(send, node, from, value, revert, responseOf);
    }

    private ContractAbi abiOf(Transactions.Send send) {
        return send.contractId() == null ? null
                : EvmContract.abiOf(contracts.contractInterface(send.tenantId(), send.contractId(), "contractId"));
    }

    private Transactions.Submitted persistReverted(Transactions.Send send, ChainNode node, String from, BigInteger value,
            RevertReason revert, Transactions.ResponseOf responseOf) {
        Instant now = TransactionLedger.now();
        TransactionRecord record = new TransactionRecord(ledger.request(send, UUID.randomUUID(), node.chainId(), from,
                value, send.kind() == TransactionKind.DEPLOY ? null : send.instanceId(), now),
                TransactionRecord.Submission.NONE,
                TransactionRecord.Outcome.of(TransactionStatus.FAILED, revert.message(), json.writeValueAsString(revert), now));
        String response = json.writeValueAsString(responseOf.response(ledger.view(record), null));
        TransactionRecord stored = record.withResponse(response);
        ledger.insertFailed(stored);
        return new Transactions.Submitted(ledger.view(stored), response, false);
    }

    private Transactions.Submitted persistSigned(Transactions.Send send, ChainNode node, String from, BigInteger value,
            BigInteger gasLimit, Transactions.OnAssigned onAssigned, Transactions.ResponseOf responseOf) {
        Fees caps = fees.fees(send.tenantId(), send.nodeId());
        UUID id = UUID.randomUUID();
        // The account's nonce row lock is held only for these inserts (batched with other concurrent sends of the
        // account, see NonceAllocator); signing and the broadcast happen after the commit. A crash before the
        // signature is stored leaves an unsigned PENDING row that the tracker signs and broadcasts (deterministic
        // RFC 6979 signatures make a double signing harmless: both produce the same transaction).
        TransactionRecord allocated = nonces.allocate(send.nodeId(), from,
                () -> rpc.transactionCount(send.tenantId(), send.nodeId(), from, "pending").longValueExact(), nonce -> {
                    String contractAddress = contractAddress(send, from, nonce);
                    onAssigned.assigned(id, contractAddress);
                    Instant now = TransactionLedger.now();
                    TransactionRecord record = new TransactionRecord(
                            ledger.request(send, id, node.chainId(), from, value, send.instanceId(), now),
                            new TransactionRecord.Submission(nonce, gasLimit, caps.maxFeePerGas(),
                                    caps.maxPriorityFeePerGas(), null, null, null, null, 0),
                            TransactionRecord.Outcome.of(TransactionStatus.PENDING, null, null, now));
                    TransactionRecord stored = record.withResponse(
                            json.writeValueAsString(responseOf.response(ledger.view(record), contractAddress)));
                    ledger.insert(stored);
                    return stored;
                });
        SignedTransaction signature = signer.sign(send.wallet().key(), unsigned(allocated));
        TransactionRecord signed = allocated.withSignature(signature.hash(), signature.raw());
        String response = json.writeValueAsString(responseOf.response(ledger.view(signed),
                contractAddress(send, from, allocated.submission().nonce())));
        // Sent before the signature is recorded, so that recording it and the broadcast's outcome is one commit. A
        // crash in between is the unsigned-row case above: the tracker signs the same transaction again.
        Delivery delivery = deliver(signed, signature.raw());
        tx.executeWithoutResult(status -> {
            ledger.recordSignature(signed, response);
            record(signed, delivery);
        });
        return new Transactions.Submitted(ledger.view(signed), response, false);
    }

    /** CREATE address = keccak256(rlp([sender, nonce]))[12:], known as soon as the nonce is; null for a call. */
    private static String contractAddress(Transactions.Send send, String from, long nonce) {
        return send.kind() == TransactionKind.DEPLOY
                ? Keys.toChecksumAddress(ContractUtils.generateContractAddress(from, BigInteger.valueOf(nonce))) : null;
    }

    static UnsignedTransaction unsigned(TransactionRecord t) {
        TransactionRecord.Request r = t.request();
        TransactionRecord.Submission s = t.submission();
        return new UnsignedTransaction(r.chainId(), BigInteger.valueOf(s.nonce()), s.gasLimit(), r.to(), r.value(),
                r.data(), s.maxPriorityFee(), s.maxFeePerGas());
    }

    /** Signs a transaction whose nonce was allocated but which was never signed, and records the signature. */
    TransactionRecord signAllocated(TransactionRecord t) {
        Wallet wallet = wallets.require(t.tenantId(), t.request().walletId());
        SignedTransaction signed = signer.sign(wallet.key(), unsigned(t));
        TransactionRecord withSignature = t.withSignature(signed.hash(), signed.raw());
        tx.executeWithoutResult(status -> ledger.recordSignature(withSignature, null));
        return withSignature;
    }

    /**
     * Signs {@code replacement}, a new version of {@code t} with its nonce, records it as {@code t}'s latest attempt
     * ({@code tx.submitted} when {@code announce}) and sends it; a node that does not take it now is sent it again by
     * a later round.
     */
    SignedTransaction resubmit(TransactionRecord t, UnsignedTransaction replacement, AttemptPurpose purpose,
            boolean announce) {
        Wallet wallet = wallets.require(t.tenantId(), t.request().walletId());
        SignedTransaction signed = signer.sign(wallet.key(), replacement);
        tx.executeWithoutResult(status -> ledger.recordResubmission(t, purpose, signed.hash(), signed.raw(),
                replacement.maxFeePerGas(), replacement.maxPriorityFeePerGas(), announce));
        try {
            rpc.sendRawTransaction(t.tenantId(), t.nodeId(), signed.raw());
        } catch (RuntimeException e) {
            log.info("{} {} of transaction {} not accepted yet: {}", purpose.wireName(), signed.hash(), t.id(),
                    e.getMessage());
        }
        return signed;
    }

    /** What came of handing a signed transaction to the node: accepted, to be sent again later, or refused for good. */
    private record Delivery(boolean accepted, String refusal) {
        static final Delivery ACCEPTED = new Delivery(true, null);
        static final Delivery DEFERRED = new Delivery(false, null);
    }

    /**
     * Sends a signed transaction. Transport failures leave it for the tracker's rebroadcast; answers meaning the node
     * already has it (or a later state) are success; any other refusal is permanent and handled by
     * {@link Rebroadcaster#fillRefusedNonce}.
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
            if (e.kind().meansDelivered()) {
                return Delivery.ACCEPTED;
            } else if (!e.kind().refusesTransaction()) {
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
            ledger.markBroadcast(t);
        } else if (delivery.refusal() != null) {
            ledger.markRefused(t, delivery.refusal());
        }
    }
}
