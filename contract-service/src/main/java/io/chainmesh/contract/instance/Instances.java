package io.chainmesh.contract.instance;

import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;

import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Service;

import io.chainmesh.common.pagination.Page;
import io.chainmesh.common.pagination.PageCursor;
import io.chainmesh.contract.ContractErrors;
import io.chainmesh.contract.connector.ChainConnector;
import io.chainmesh.contract.connector.ChainConnectors;
import io.chainmesh.contract.connector.ContractInterface;
import io.chainmesh.contract.connector.Invocation;
import io.chainmesh.contract.connector.QueryResult;
import io.chainmesh.contract.definition.ContractDefinition;
import io.chainmesh.contract.definition.Contracts;
import io.chainmesh.contract.node.ChainNode;
import io.chainmesh.contract.transaction.TransactionKind;
import io.chainmesh.contract.transaction.TransactionSettled;
import io.chainmesh.contract.transaction.TransactionStatus;
import io.chainmesh.contract.transaction.TransactionView;
import io.chainmesh.contract.transaction.Transactions;
import io.chainmesh.contract.wallet.Wallet;
import io.chainmesh.contract.wallet.Wallets;

/**
 * Deploying, registering, calling and sending to contract instances, on whichever chain the node runs: the chain's
 * part (encoding, ordering, signing) is its {@link ChainConnector}'s.
 */
@Service
public class Instances {

    private final InstanceRepository repository;
    private final Contracts contracts;
    private final Wallets wallets;
    private final Transactions transactions;
    private final ChainConnectors connectors;

    Instances(InstanceRepository repository, Contracts contracts, Wallets wallets, Transactions transactions,
            ChainConnectors connectors) {
        this.repository = repository;
        this.contracts = contracts;
        this.wallets = wallets;
        this.transactions = transactions;
        this.connectors = connectors;
    }

    /** Outcome of deploy/send: the body to answer with and whether the operation has settled. */
    record Outcome(String body, boolean replayed, TransactionView transaction) {
    }

    Outcome deploy(UUID tenantId, UUID contractId, InstanceDtos.DeployRequest request, String idempotencyKey, String requestHash) {
        var earlier = transactions.replay(tenantId, idempotencyKey, requestHash);
        if (earlier.isPresent()) {
            return new Outcome(earlier.get().response(), true, earlier.get().transaction());
        }
        ContractDefinition contract = contracts.require(tenantId, contractId, "contractId");
        if (contract.bytecode() == null) {
            throw ContractErrors.CONTRACT_NOT_DEPLOYABLE.exception("Contract " + contractId
                    + " was registered without bytecode; register an artifact or bytecode to deploy it").with("field", "bytecode");
        }
        Wallet wallet = wallets.require(tenantId, request.walletId());
        ChainConnector chain = connectors.forInterface(contract.contractInterface());
        BigInteger value = request.value() == null ? null : new BigInteger(request.value());
        Invocation creation = chain.deployment(contract.contractInterface(), contract.bytecode(), request.args(), value);
        ChainNode node = connectors.node(tenantId, request.nodeId(), chain);
        UUID instanceId = UUID.randomUUID();
        String name = request.name() == null ? contract.name() : request.name();
        Transactions.Send send = new Transactions.Send(tenantId, request.nodeId(), wallet, TransactionKind.DEPLOY, instanceId,
                contractId, null, creation.method(), request.args(), creation.data(), value,
                request.gasLimit() == null ? null : new BigInteger(request.gasLimit()), idempotencyKey, requestHash,
                request.confirmations());
        var submitted = transactions.submit(send, () -> chain.submit(node, send,
                (transactionId, address) -> {
                    Instant now = now();
                    repository.insert(new Instance(instanceId, tenantId, contractId, request.nodeId(), node.chainId(),
                            name, address, "PENDING", transactionId, now, now));
                },
                (tx, address) -> operation(tx, address == null ? null
                        : new Instance(instanceId, tenantId, contractId, request.nodeId(), node.chainId(), name, address,
                                "PENDING", tx.id(), tx.createdAt(), tx.createdAt()))));
        return new Outcome(submitted.response(), submitted.replayed(), submitted.transaction());
    }

    InstanceDtos.DeployOperation operation(TransactionView tx, Instance instance) {
        String status = switch (tx.status()) {
            case CONFIRMED -> "Succeeded";
            case FAILED, REPLACED -> "Failed";
            default -> "Pending";
        };
        return new InstanceDtos.DeployOperation(tx.id(), "deploy", status, tx, instance == null ? null : InstanceDtos.InstanceView.of(instance));
    }

    /** The current state of a deployment (after a {@code ?confirm=true} wait). */
    InstanceDtos.DeployOperation currentOperation(UUID tenantId, UUID transactionId) {
        TransactionView tx = transactions.get(tenantId, transactionId);
        return operation(tx, repository.findByDeployTransaction(tenantId, transactionId).orElse(null));
    }

    InstanceDtos.InstanceView register(UUID tenantId, InstanceDtos.RegisterInstanceRequest request) {
        ContractDefinition contract = contracts.require(tenantId, request.contractId(), "contractId");
        ChainConnector chain = connectors.forInterface(contract.contractInterface());
        String address = chain.normalizeAddress(request.address(), "address");
        ChainNode node = connectors.node(tenantId, request.nodeId(), chain);
        if (!chain.hasCode(node, address)) {
            throw ContractErrors.NO_CONTRACT_AT_ADDRESS.exception("There is no contract code at " + address + " on node "
                    + request.nodeId()).with("field", "address");
        }
        Instant now = now();
        Instance instance = new Instance(UUID.randomUUID(), tenantId, contract.id(), request.nodeId(), node.chainId(),
                request.name() == null ? contract.name() : request.name(), address, "DEPLOYED", null, now, now);
        repository.insert(instance);
        return InstanceDtos.InstanceView.of(instance);
    }

    public Instance require(UUID tenantId, UUID id) {
        return repository.find(tenantId, id).orElseThrow(() -> ContractErrors.notFound("Instance", id));
    }

    InstanceDtos.InstanceView get(UUID tenantId, UUID id) {
        return InstanceDtos.InstanceView.of(require(tenantId, id));
    }

    Page<InstanceDtos.InstanceView> list(UUID tenantId, UUID contractId, PageCursor after, int limit) {
        return Page.of(repository.page(tenantId, contractId, after, limit), limit, i -> new PageCursor(i.createdAt(), i.id()),
                InstanceDtos.InstanceView::of);
    }

    InstanceDtos.CallResult call(UUID tenantId, UUID instanceId, String method, InstanceDtos.CallRequest request) {
        Instance instance = require(tenantId, instanceId);
        ContractInterface contract = contracts.require(tenantId, instance.contractId(), "contractId").contractInterface();
        ChainConnector chain = connectors.forInterface(contract);
        Invocation call = chain.invocation(contract, method, request == null ? null : request.args(), null);
        String from = request == null || request.walletId() == null ? null : wallets.require(tenantId, request.walletId()).address();
        ChainNode node = connectors.node(tenantId, instance.nodeId(), chain);
        QueryResult result = chain.query(node, contract, call, instance.address(), from, request == null ? null : request.block());
        return new InstanceDtos.CallResult(result.method(), result.outputs());
    }

    Outcome send(UUID tenantId, UUID instanceId, String method, InstanceDtos.SendRequest request, String idempotencyKey,
            String requestHash) {
        var earlier = transactions.replay(tenantId, idempotencyKey, requestHash);
        if (earlier.isPresent()) {
            return new Outcome(earlier.get().response(), true, earlier.get().transaction());
        }
        Instance instance = require(tenantId, instanceId);
        if (instance.status().equals("FAILED")) {
            throw ContractErrors.INSTANCE_NOT_DEPLOYED.exception("Instance " + instanceId + " failed to deploy");
        }
        ContractInterface contract = contracts.contractInterface(tenantId, instance.contractId(), "contractId");
        ChainConnector chain = connectors.forInterface(contract);
        String function = contract.functionSignature(method);
        Wallet wallet = wallets.require(tenantId, request.walletId());
        BigInteger value = request.value() == null ? null : new BigInteger(request.value());
        Invocation invocation = chain.invocation(contract, function, request.args(), value);
        ChainNode node = connectors.node(tenantId, instance.nodeId(), chain);
        Transactions.Send send = new Transactions.Send(tenantId, instance.nodeId(), wallet, TransactionKind.SEND, instanceId,
                instance.contractId(), instance.address(), invocation.method(), request.args(), invocation.data(), value,
                request.gasLimit() == null ? null : new BigInteger(request.gasLimit()), idempotencyKey, requestHash,
                request.confirmations());
        var submitted = transactions.submit(send, () -> chain.submit(node, send, (id, address) -> { },
                (tx, address) -> tx));
        return new Outcome(submitted.response(), submitted.replayed(), submitted.transaction());
    }

    TransactionView await(UUID tenantId, UUID transactionId, Duration max) {
        return transactions.awaitSettled(tenantId, transactionId, max);
    }

    @EventListener
    void onSettled(TransactionSettled settled) {
        if (settled.kind() != TransactionKind.DEPLOY || settled.instanceId() == null) {
            return;
        }
        String status = settled.status() == TransactionStatus.CONFIRMED ? "DEPLOYED" : "FAILED";
        repository.settle(settled.tenantId(), settled.instanceId(), status, settled.contractAddress(), now());
    }

    private static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.MICROS);
    }
}
