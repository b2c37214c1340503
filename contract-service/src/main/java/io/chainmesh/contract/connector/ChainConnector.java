package io.chainmesh.contract.connector;

import java.math.BigInteger;
import java.util.List;

import io.chainmesh.contract.node.ChainNode;
import io.chainmesh.contract.transaction.TransactionRecord;
import io.chainmesh.contract.transaction.Transactions;
import tools.jackson.databind.JsonNode;

/**
 * One chain family behind one interface, as Hyperledger FireFly puts each chain behind its blockchain plugin
 * ({@code pkg/blockchain/plugin.go}): contract interfaces, deploy, invoke, query, the transaction manager's chain work
 * and event listening. Implementations are Spring beans, one per {@link #protocol()}, chosen for a node by
 * {@link ChainConnectors} from the protocol blockchain-service reports for it.
 *
 * <p>What stays outside, chain-neutral: the REST API and its DTOs, tenancy (every node reached on behalf of its
 * tenant), idempotency keys, the persisted transaction as an operation (202, or 200 with {@code ?confirm=true}),
 * the {@code chainmesh.tx} and {@code chainmesh.contract-events} events, and the durable checkpoints of listeners.
 * A connector records what it does through {@link io.chainmesh.contract.transaction.TransactionLedger}.
 *
 * <p>Failures are {@code ApiException}s: 400s naming the field for input the chain's rules refuse, a 503
 * {@code chain_unavailable} when the node cannot be reached, a 502 when the node fails.
 */
public interface ChainConnector {

    /** The node protocol served, as blockchain-service names it (for example {@code ethereum}). */
    String protocol();

    // ------------------------------------------------------------------ contract interfaces

    /**
     * Parses and validates a registered contract's interface document (for the EVM the Solidity ABI JSON).
     *
     * @throws InvalidInterfaceException naming the entry and field that is wrong
     */
    ContractInterface parseInterface(JsonNode document);

    /** {@code address} in its canonical form; a 400 naming {@code field} when it is not an address of this chain. */
    String normalizeAddress(String address, String field);

    /** Whether the node's chain has contract code at {@code address}. */
    boolean hasCode(ChainNode node, String address);

    // ------------------------------------------------------------------ deploy, invoke, query

    /** Encodes a creation of {@code contract} from {@code code} with constructor {@code args}; checks {@code value}. */
    Invocation deployment(ContractInterface contract, String code, JsonNode args, BigInteger value);

    /**
     * Encodes a call of {@code function} (a name, or a signature picking one overload) with {@code args}; checks
     * {@code value} (null for a read).
     */
    Invocation invocation(ContractInterface contract, String function, JsonNode args, BigInteger value);

    /**
     * Runs {@code call} read-only against the contract at {@code address}, as {@code from} (may be null), at
     * {@code block} (null for the latest).
     */
    QueryResult query(ChainNode node, ContractInterface contract, Invocation call, String address, String from,
            String block);

    // ------------------------------------------------------------------ transactions

    /**
     * Prepares (estimates, prices), orders (EVM: allocates the nonce), records, signs and broadcasts {@code send}.
     * A request the chain refuses before it is ordered is recorded as FAILED and answered, not thrown.
     *
     * @param onAssigned runs inside the database transaction that records the new transaction
     * @param responseOf the body answered for the transaction, stored for idempotent replays
     */
    Transactions.Submitted submit(ChainNode node, Transactions.Send send, Transactions.OnAssigned onAssigned,
            Transactions.ResponseOf responseOf);

    /**
     * One tracking round over the node's open (PENDING or MINED) transactions: receipts, confirmation depth,
     * reorganisations, resubmission of stuck or lost ones. Each transition goes through the ledger, which announces it.
     */
    void track(ChainNode node, List<TransactionRecord> open);

    // ------------------------------------------------------------------ events

    /** The filter for {@code event} (a name or signature) of {@code contract}, narrowed by {@code filters}. */
    EventFilter eventFilter(ContractInterface contract, String event, JsonNode filters);

    /** The number of the latest block of the node's chain. */
    long head(ChainNode node);

    /** The hash of block {@code number} of the node's canonical chain, or null when the node has no such block. */
    String blockHash(ChainNode node, long number);

    /**
     * The events matching {@code filter} of the contract at {@code address} in blocks {@code fromBlock} to
     * {@code toBlock} (inclusive), decoded, in chain order.
     */
    List<ChainEvent> events(ChainNode node, ContractInterface contract, EventFilter filter, String address,
            long fromBlock, long toBlock);
}
