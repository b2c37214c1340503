package io.chainmesh.contract.evm;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

import org.springframework.stereotype.Component;
import org.web3j.utils.Numeric;

import io.chainmesh.contract.ContractErrors;
import io.chainmesh.contract.connector.ChainConnector;
import io.chainmesh.contract.connector.ChainEvent;
import io.chainmesh.contract.connector.ContractInterface;
import io.chainmesh.contract.connector.EventFilter;
import io.chainmesh.contract.connector.InvalidInterfaceException;
import io.chainmesh.contract.connector.Invocation;
import io.chainmesh.contract.connector.QueryResult;
import io.chainmesh.contract.evm.abi.AbiArgumentException;
import io.chainmesh.contract.evm.abi.AbiCodec;
import io.chainmesh.contract.evm.abi.AbiDecodingException;
import io.chainmesh.contract.evm.abi.AbiEvent;
import io.chainmesh.contract.evm.abi.AbiFunction;
import io.chainmesh.contract.evm.abi.AbiParameter;
import io.chainmesh.contract.evm.abi.ContractAbi;
import io.chainmesh.contract.evm.abi.EvmContract;
import io.chainmesh.contract.evm.abi.InvalidAbiException;
import io.chainmesh.contract.evm.abi.RevertReason;
import io.chainmesh.contract.evm.rpc.EthereumRpc;
import io.chainmesh.contract.evm.rpc.RpcErrorException;
import io.chainmesh.contract.evm.tx.ReceiptPoller;
import io.chainmesh.contract.evm.tx.TransactionSender;
import io.chainmesh.contract.node.ChainNode;
import io.chainmesh.contract.transaction.TransactionRecord;
import io.chainmesh.contract.transaction.Transactions;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The EVM behind {@link ChainConnector}: Solidity ABI encoding and decoding ({@code evm.abi}), Ethereum JSON-RPC
 * through blockchain-service ({@code evm.rpc}), and the EVM transaction manager with nonces, EIP-1559 fees and
 * receipts ({@code evm.tx}).
 */
@Component
class EvmConnector implements ChainConnector {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private final EthereumRpc rpc;
    private final TransactionSender sender;
    private final ReceiptPoller receipts;
    private final JsonMapper json;

    EvmConnector(EthereumRpc rpc, TransactionSender sender, ReceiptPoller receipts, JsonMapper json) {
        this.rpc = rpc;
        this.sender = sender;
        this.receipts = receipts;
        this.json = json;
    }

    @Override
    public String protocol() {
        return EvmContract.PROTOCOL;
    }

    @Override
    public ContractInterface parseInterface(JsonNode document) {
        try {
            return new EvmContract(ContractAbi.parse(document));
        } catch (InvalidAbiException e) {
            throw new InvalidInterfaceException(e.getMessage());
        }
    }

    @Override
    public String normalizeAddress(String address, String field) {
        return argument(() -> AbiCodec.checksummed(address, field));
    }

    @Override
    public boolean hasCode(ChainNode node, String address) {
        JsonNode code = rpc.request(node.tenantId(), node.id(), "eth_getCode", address, "latest");
        return code.isString() && !code.stringValue().equals("0x");
    }

    @Override
    public Invocation deployment(ContractInterface contract, String code, JsonNode args, BigInteger value) {
        AbiFunction constructor = EvmContract.abiOf(contract).constructor();
        byte[] constructorArgs = argument(() -> AbiCodec.encodeArguments(constructor.inputs(), args, "args"));
        if (value != null && value.signum() > 0 && !constructor.isPayable()) {
            throw ContractErrors.NOT_PAYABLE.exception("The constructor is not payable; value must be 0").with("field", "value");
        }
        return new Invocation(constructor.name(), code + Numeric.toHexStringNoPrefix(constructorArgs), value);
    }

    @Override
    public Invocation invocation(ContractInterface contract, String function, JsonNode args, BigInteger value) {
        AbiFunction f = EvmContract.abiOf(contract).function(function);
        byte[] data = argument(() -> AbiCodec.encodeCall(f, args));
        if (value != null && value.signum() > 0 && !f.isPayable()) {
            throw ContractErrors.NOT_PAYABLE.exception(f.signature() + " is not payable; value must be 0").with("field", "value");
        }
        return new Invocation(f.signature(), Numeric.toHexString(data), value);
    }

    @Override
    public QueryResult query(ChainNode node, ContractInterface contract, Invocation call, String address, String from,
            String block) {
        ContractAbi abi = EvmContract.abiOf(contract);
        AbiFunction function = abi.function(call.method());
        String tag = block == null ? "latest" : blockTag(block);
        String result;
        try {
            result = rpc.call(node.tenantId(), node.id(), new EthereumRpc.CallRequest(from, address, call.data(), null), tag);
        } catch (RpcErrorException e) {
            if (e.isRevert()) {
                RevertReason revert = RevertReason.decode(e.data(), abi);
                throw ContractErrors.EXECUTION_REVERTED.exception("The call reverted: " + revert.message())
                        .with("revert", revert);
            }
            throw ContractErrors.CALL_FAILED.exception("The node refused the call: " + e.getMessage());
        }
        try {
            return new QueryResult(function.signature(), AbiCodec.decodeToObject(function.outputs(),
                    Numeric.hexStringToByteArray(result)));
        } catch (AbiDecodingException e) {
            throw ContractErrors.UNDECODABLE_RESULT.exception("The contract at " + address + " returned data that does not match "
                    + function.signature()
                    + (result.equals("0x") ? " (no data: is the contract deployed there?)" : ": " + e.getMessage()));
        }
    }

    @Override
    public Transactions.Submitted submit(ChainNode node, Transactions.Send send, Transactions.OnAssigned onAssigned,
            Transactions.ResponseOf responseOf) {
        return sender.submit(node, send, onAssigned, responseOf);
    }

    @Override
    public void track(ChainNode node, List<TransactionRecord> open) {
        receipts.track(node, open);
    }

    @Override
    public EventFilter eventFilter(ContractInterface contract, String event, JsonNode filters) {
        AbiEvent e = EvmContract.abiOf(contract).event(event);
        if (e.anonymous()) {
            throw ContractErrors.ANONYMOUS_EVENT.exception("Anonymous events have no topic to subscribe by").with("field", "event");
        }
        return new EventFilter(e.signature(), json.writeValueAsString(topics(e, filters)));
    }

    @Override
    public long head(ChainNode node) {
        return rpc.blockNumber(node.tenantId(), node.id());
    }

    @Override
    public String blockHash(ChainNode node, long number) {
        JsonNode block = rpc.block(node.tenantId(), node.id(), EthereumRpc.hex(number));
        return block == null ? null : block.path("hash").asString();
    }

    @Override
    public List<ChainEvent> events(ChainNode node, ContractInterface contract, EventFilter filter, String address,
            long fromBlock, long toBlock) {
        ObjectNode logFilter = NODES.objectNode();
        logFilter.put("address", address);
        logFilter.set("topics", json.readTree(filter.filter()));
        logFilter.put("fromBlock", EthereumRpc.hex(fromBlock));
        logFilter.put("toBlock", EthereumRpc.hex(toBlock));
        JsonNode logs = rpc.logs(node.tenantId(), node.id(), logFilter);
        AbiEvent event = EvmContract.abiOf(contract).event(filter.signature());
        List<JsonNode> ordered = new ArrayList<>();
        logs.forEach(ordered::add);
        ordered.sort((a, b) -> {
            int byBlock = EthereumRpc.quantity(a.path("blockNumber")).compareTo(EthereumRpc.quantity(b.path("blockNumber")));
            return byBlock != 0 ? byBlock : EthereumRpc.quantity(a.path("logIndex")).compareTo(EthereumRpc.quantity(b.path("logIndex")));
        });
        List<ChainEvent> events = new ArrayList<>();
        for (JsonNode log : ordered) {
            // A log the node already knows to be reorganised away is none of the canonical chain's.
            if (!log.path("removed").asBoolean(false)) {
                events.add(decode(event, log));
            }
        }
        return events;
    }

    private static ChainEvent decode(AbiEvent event, JsonNode log) {
        List<String> topics = new ArrayList<>();
        log.path("topics").forEach(t -> topics.add(t.asString()));
        byte[] data = Numeric.hexStringToByteArray(log.path("data").asString("0x"));
        ObjectNode args = NODES.objectNode();
        List<AbiParameter> nonIndexed = event.inputs().stream().filter(p -> !p.indexed()).toList();
        ArrayNode values = AbiCodec.decodeToArray(nonIndexed, data);
        int topic = 1;
        int value = 0;
        for (int i = 0; i < event.inputs().size(); i++) {
            AbiParameter p = event.inputs().get(i);
            String name = p.name().isEmpty() ? String.valueOf(i) : p.name();
            if (p.indexed()) {
                args.set(name, AbiCodec.decodeTopic(p.type(), Numeric.hexStringToByteArray(topics.get(topic++))));
            } else {
                args.set(name, values.get(value++));
            }
        }
        return new ChainEvent(event.name(), EthereumRpc.quantity(log.path("blockNumber")).longValueExact(),
                log.path("blockHash").asString(), log.path("transactionHash").asString(),
                EthereumRpc.quantity(log.path("logIndex")).intValueExact(), args);
    }

    /** eth_getLogs topics: [topic0, then per indexed input null (any) or the allowed encoded values]. */
    private static ArrayNode topics(AbiEvent event, JsonNode filters) {
        ArrayNode topics = NODES.arrayNode();
        topics.add(event.topic0());
        List<AbiParameter> indexed = event.inputs().stream().filter(AbiParameter::indexed).toList();
        if (filters != null && !filters.isNull()) {
            if (!filters.isObject()) {
                throw ContractErrors.INVALID_FILTER.exception("filters must be an object of indexed argument values")
                        .with("field", "filters");
            }
            for (String name : filters.propertyNames()) {
                if (indexed.stream().noneMatch(p -> p.name().equals(name))) {
                    throw ContractErrors.INVALID_FILTER.exception("filters." + name + " is not an indexed argument of "
                            + event.signature() + "; indexed: " + indexed.stream().map(AbiParameter::name).toList())
                            .with("field", "filters." + name);
                }
            }
        }
        for (AbiParameter p : indexed) {
            JsonNode wanted = filters == null ? null : filters.get(p.name());
            if (wanted == null || wanted.isNull()) {
                topics.addNull();
                continue;
            }
            ArrayNode alternatives = NODES.arrayNode();
            List<JsonNode> values = new ArrayList<>();
            if (wanted.isArray()) {
                wanted.forEach(values::add);
            } else {
                values.add(wanted);
            }
            for (int i = 0; i < values.size(); i++) {
                String path = "filters." + p.name() + (wanted.isArray() ? "[" + i + "]" : "");
                try {
                    alternatives.add(Numeric.toHexString(AbiCodec.encodeTopic(p.type(), values.get(i), path)));
                } catch (AbiArgumentException e) {
                    throw ContractErrors.INVALID_FILTER.exception(e.getMessage()).with("field", e.path());
                }
            }
            topics.add(alternatives);
        }
        // Trailing wildcards are dropped: some nodes reject [t0, null, null] where [t0] means the same.
        while (topics.size() > 1 && topics.get(topics.size() - 1).isNull()) {
            topics.remove(topics.size() - 1);
        }
        return topics;
    }

    /** A block tag or number of the Ethereum JSON-RPC spec, from what a caller wrote. */
    private static String blockTag(String block) {
        String b = block.strip();
        if (b.matches("latest|pending|safe|finalized|earliest|0x[0-9a-fA-F]+")) {
            return b;
        }
        if (b.matches("\\d{1,18}")) {
            return EthereumRpc.hex(Long.parseLong(b));
        }
        throw ContractErrors.INVALID_BLOCK.exception("block must be a number, a 0x quantity or latest/pending/safe/finalized/earliest")
                .with("field", "block");
    }

    private static <T> T argument(Supplier<T> conversion) {
        try {
            return conversion.get();
        } catch (AbiArgumentException e) {
            throw ContractErrors.INVALID_ARGUMENT.exception(e.getMessage()).with("field", e.path());
        }
    }
}
