package io.chainmesh.contract.instance;

import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;

import org.springframework.context.event.EventListener;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;
import org.web3j.crypto.ContractUtils;
import org.web3j.crypto.Keys;
import org.web3j.utils.Numeric;

import io.chainmesh.common.problem.ApiException;
import io.chainmesh.contract.abi.AbiArgumentException;
import io.chainmesh.contract.abi.AbiCodec;
import io.chainmesh.contract.abi.AbiDecodingException;
import io.chainmesh.contract.abi.AbiFunction;
import io.chainmesh.contract.abi.ContractAbi;
import io.chainmesh.contract.abi.RevertReason;
import io.chainmesh.contract.chain.ChainNode;
import io.chainmesh.contract.chain.EthereumRpc;
import io.chainmesh.contract.chain.RpcErrorException;
import io.chainmesh.contract.definition.ContractDefinition;
import io.chainmesh.contract.definition.Contracts;
import io.chainmesh.common.pagination.Page;
import io.chainmesh.common.pagination.PageCursor;
import io.chainmesh.contract.transaction.TransactionKind;
import io.chainmesh.contract.transaction.TransactionSettled;
import io.chainmesh.contract.transaction.TransactionStatus;
import io.chainmesh.contract.transaction.TransactionView;
import io.chainmesh.contract.transaction.Transactions;
import io.chainmesh.contract.wallet.Wallet;
import io.chainmesh.contract.wallet.Wallets;
import tools.jackson.databind.JsonNode;

/** Deploying, registering, calling and sending to contract instances. */
@Service
public class Instances {

    private final InstanceRepository repository;
    private final Contracts contracts;
    private final Wallets wallets;
    private final Transactions transactions;
    private final EthereumRpc rpc;

    Instances(InstanceRepository repository, Contracts contracts, Wallets wallets, Transactions transactions, EthereumRpc rpc) {
        this.repository = repository;
        this.contracts = contracts;
        this.wallets = wallets;
        this.transactions = transactions;
        this.rpc = rpc;
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
            throw ApiException.badRequest("contract_not_deployable", "Contract " + contractId
                    + " was registered without bytecode; register an artifact or bytecode to deploy it").with("field", "bytecode");
        }
        Wallet wallet = wallets.require(tenantId, request.walletId());
        byte[] constructorArgs = encode(() -> AbiCodec.encodeArguments(contract.abi().constructor().inputs(), request.args(), "args"));
        String data = contract.bytecode() + Numeric.toHexStringNoPrefix(constructorArgs);
        BigInteger value = request.value() == null ? null : new BigInteger(request.value());
        if (value != null && value.signum() > 0 && !contract.abi().constructor().isPayable()) {
            throw ApiException.badRequest("not_payable", "The constructor is not payable; value must be 0").with("field", "value");
        }
        ChainNode node = transactions.node(tenantId, request.nodeId());
        UUID instanceId = UUID.randomUUID();
        var submitted = transactions.submit(new Transactions.Send(tenantId, request.nodeId(), wallet, TransactionKind.DEPLOY, instanceId,
                contractId, contract.abi(), null, "constructor", request.args(), data, value,
                request.gasLimit() == null ? null : new BigInteger(request.gasLimit()), idempotencyKey, requestHash,
                request.confirmations()),
                (transactionId, from, nonce) -> {
                    Instant now = now();
                    // CREATE address = keccak256(rlp([sender, nonce]))[12:], known as soon as the nonce is.
                    String address = Keys.toChecksumAddress(ContractUtils.generateContractAddress(from, BigInteger.valueOf(nonce)));
                    repository.insert(new Instance(instanceId, tenantId, contractId, request.nodeId(), node.chainId(),
                            request.name() == null ? contract.name() : request.name(), address, "PENDING", transactionId, now, now));
                },
                tx -> operation(tx, tx.status() == TransactionStatus.FAILED ? null
                        : new Instance(instanceId, tenantId, contractId, request.nodeId(), node.chainId(),
                                request.name() == null ? contract.name() : request.name(),
                                Keys.toChecksumAddress(ContractUtils.generateContractAddress(tx.from(), BigInteger.valueOf(tx.nonce()))),
                                "PENDING", tx.id(), tx.createdAt(), tx.createdAt())));
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
        String address = argument(() -> AbiCodec.checksummed(request.address(), "address"));
        ChainNode node = transactions.node(tenantId, request.nodeId());
        JsonNode code = rpc.request(tenantId, request.nodeId(), "eth_getCode", address, "latest");
        if (!code.isString() || code.stringValue().equals("0x")) {
            throw ApiException.badRequest("no_contract_at_address", "There is no contract code at " + address + " on node "
                    + request.nodeId()).with("field", "address");
        }
        Instant now = now();
        Instance instance = new Instance(UUID.randomUUID(), tenantId, contract.id(), request.nodeId(), node.chainId(),
                request.name() == null ? contract.name() : request.name(), address, "DEPLOYED", null, now, now);
        repository.insert(instance);
        return InstanceDtos.InstanceView.of(instance);
    }

    public Instance require(UUID tenantId, UUID id) {
        return repository.find(tenantId, id).orElseThrow(() -> ApiException.notFound("Instance", id));
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
        ContractDefinition contract = contracts.require(tenantId, instance.contractId(), "contractId");
        AbiFunction function = contract.abi().function(method);
        byte[] data = encode(() -> AbiCodec.encodeCall(function, request == null ? null : request.args()));
        String from = request == null || request.walletId() == null ? null : wallets.require(tenantId, request.walletId()).address();
        String block = request == null || request.block() == null ? "latest" : blockTag(request.block());
        String result;
        try {
            result = rpc.call(tenantId, instance.nodeId(), new EthereumRpc.CallRequest(from, instance.address(),
                    Numeric.toHexString(data), null), block);
        } catch (RpcErrorException e) {
            if (e.isRevert()) {
                RevertReason revert = RevertReason.decode(e.data(), contract.abi());
                throw new ApiException(HttpStatus.UNPROCESSABLE_CONTENT, "execution_reverted", "Execution reverted",
                        "The call reverted: " + revert.message()).with("revert", revert);
            }
            throw new ApiException(HttpStatus.BAD_GATEWAY, "call_failed", "Call failed", "The node refused the call: " + e.getMessage());
        }
        try {
            return new InstanceDtos.CallResult(function.signature(), AbiCodec.decodeToObject(function.outputs(),
                    Numeric.hexStringToByteArray(result)));
        } catch (AbiDecodingException e) {
            throw new ApiException(HttpStatus.BAD_GATEWAY, "undecodable_result", "Undecodable result",
                    "The contract at " + instance.address() + " returned data that does not match " + function.signature()
                            + (result.equals("0x") ? " (no data: is the contract deployed there?)" : ": " + e.getMessage()));
        }
    }

    Outcome send(UUID tenantId, UUID instanceId, String method, InstanceDtos.SendRequest request, String idempotencyKey,
            String requestHash) {
        var earlier = transactions.replay(tenantId, idempotencyKey, requestHash);
        if (earlier.isPresent()) {
            return new Outcome(earlier.get().response(), true, earlier.get().transaction());
        }
        Instance instance = require(tenantId, instanceId);
        if (instance.status().equals("FAILED")) {
            throw ApiException.conflict("instance_not_deployed", "Instance " + instanceId + " failed to deploy");
        }
        ContractAbi abi = contracts.abi(tenantId, instance.contractId(), "contractId");
        AbiFunction function = abi.function(method);
        Wallet wallet = wallets.require(tenantId, request.walletId());
        byte[] data = encode(() -> AbiCodec.encodeCall(function, request.args()));
        BigInteger value = request.value() == null ? null : new BigInteger(request.value());
        if (value != null && value.signum() > 0 && !function.isPayable()) {
            throw ApiException.badRequest("not_payable", function.signature() + " is not payable; value must be 0").with("field", "value");
        }
        var submitted = transactions.submit(new Transactions.Send(tenantId, instance.nodeId(), wallet, TransactionKind.SEND, instanceId,
                instance.contractId(), abi, instance.address(), function.signature(), request.args(),
                Numeric.toHexString(data), value, request.gasLimit() == null ? null : new BigInteger(request.gasLimit()),
                idempotencyKey, requestHash, request.confirmations()), (id, from, nonce) -> { }, tx -> tx);
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

    private static String blockTag(String block) {
        String b = block.strip();
        if (b.matches("latest|pending|safe|finalized|earliest|0x[0-9a-fA-F]+")) {
            return b;
        }
        if (b.matches("\\d{1,18}")) {
            return EthereumRpc.hex(Long.parseLong(b));
        }
        throw ApiException.badRequest("invalid_block", "block must be a number, a 0x quantity or latest/pending/safe/finalized/earliest")
                .with("field", "block");
    }

    private static byte[] encode(java.util.function.Supplier<byte[]> encoding) {
        return argument(encoding);
    }

    private static <T> T argument(java.util.function.Supplier<T> conversion) {
        try {
            return conversion.get();
        } catch (AbiArgumentException e) {
            throw ApiException.badRequest("invalid_argument", e.getMessage()).with("field", e.path());
        }
    }

    private static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.MICROS);
    }
}
