package io.chainmesh.contract.evm.abi;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.web3j.crypto.Hash;
import org.web3j.utils.Numeric;

import io.chainmesh.common.problem.ApiException;
import io.chainmesh.contract.ContractErrors;
import tools.jackson.databind.JsonNode;

/**
 * A parsed, validated contract ABI (Solidity ABI JSON). Parsing fails with {@link InvalidAbiException} naming the
 * entry and field that is wrong, so registering a broken artifact is a 400 the caller can fix.
 */
public final class ContractAbi {

    private static final Pattern INT = Pattern.compile("(u?int)(\\d*)");
    private static final Pattern FIXED_BYTES = Pattern.compile("bytes(\\d+)");
    private static final Set<String> ENTRY_TYPES = Set.of("function", "constructor", "event", "error", "fallback", "receive");

    private final List<AbiFunction> functions;
    private final AbiFunction constructor;
    private final List<AbiEvent> events;
    private final List<AbiError> errors;

    private ContractAbi(List<AbiFunction> functions, AbiFunction constructor, List<AbiEvent> events, List<AbiError> errors) {
        this.functions = functions;
        this.constructor = constructor;
        this.events = events;
        this.errors = errors;
    }

    public static ContractAbi parse(JsonNode abi) {
        if (abi == null || !abi.isArray()) {
            throw new InvalidAbiException("abi: must be a JSON array of ABI entries");
        }
        List<AbiFunction> functions = new ArrayList<>();
        List<AbiEvent> events = new ArrayList<>();
        List<AbiError> errors = new ArrayList<>();
        AbiFunction constructor = null;
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < abi.size(); i++) {
            String where = "abi[" + i + "]";
            JsonNode entry = abi.get(i);
            if (!entry.isObject()) {
                throw new InvalidAbiException(where + ": must be an object");
            }
            String type = entry.path("type").isMissingNode() ? "function" : text(entry, "type", where);
            if (!ENTRY_TYPES.contains(type)) {
                throw new InvalidAbiException(where + ".type: unknown entry type '" + type + "'");
            }
            if (type.equals("fallback") || type.equals("receive")) {
                continue;
            }
            String name = type.equals("constructor") ? "constructor" : text(entry, "name", where);
            if (!type.equals("constructor") && !name.matches("[A-Za-z_$][A-Za-z0-9_$]*")) {
                throw new InvalidAbiException(where + ".name: '" + name + "' is not a valid identifier");
            }
            List<AbiParameter> inputs = parameters(entry.path("inputs"), where + ".inputs", type.equals("event"));
            String signature = name + inputs.stream().map(p -> p.type().canonical()).collect(Collectors.joining(",", "(", ")"));
            if (!seen.add(type + ":" + signature)) {
                throw new InvalidAbiException(where + ": duplicate " + type + " " + signature);
            }
            switch (type) {
                case "function" -> {
                    List<AbiParameter> outputs = parameters(entry.path("outputs"), where + ".outputs", false);
                    String mutability = mutability(entry);
                    functions.add(new AbiFunction(name, inputs, outputs, mutability, signature, selector(signature)));
                }
                case "constructor" -> constructor = new AbiFunction("constructor", inputs, List.of(), mutability(entry),
                        signature, new byte[0]);
                case "event" -> events.add(new AbiEvent(name, inputs, entry.path("anonymous").asBoolean(false),
                        signature, Numeric.toHexString(Hash.sha3(signature.getBytes(StandardCharsets.UTF_8)))));
                case "error" -> errors.add(new AbiError(name, inputs, signature, Numeric.toHexString(selector(signature))));
                default -> throw new IllegalStateException(type);
            }
        }
        if (constructor == null) {
            constructor = new AbiFunction("constructor", List.of(), List.of(), "nonpayable", "constructor()", new byte[0]);
        }
        return new ContractAbi(List.copyOf(functions), constructor, List.copyOf(events), List.copyOf(errors));
    }

    private static String mutability(JsonNode entry) {
        JsonNode m = entry.path("stateMutability");
        if (m.isString()) {
            return m.stringValue();
        }
        // Pre-0.5 ABIs carry constant/payable instead of stateMutability.
        if (entry.path("constant").asBoolean(false)) {
            return "view";
        }
        return entry.path("payable").asBoolean(false) ? "payable" : "nonpayable";
    }

    private static String text(JsonNode node, String field, String where) {
        JsonNode v = node.path(field);
        if (!v.isString() || v.stringValue().isBlank()) {
            throw new InvalidAbiException(where + "." + field + ": is required and must be a non-empty string");
        }
        return v.stringValue();
    }

    private static List<AbiParameter> parameters(JsonNode list, String where, boolean event) {
        if (list.isMissingNode() || list.isNull()) {
            return List.of();
        }
        if (!list.isArray()) {
            throw new InvalidAbiException(where + ": must be an array");
        }
        List<AbiParameter> result = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            JsonNode p = list.get(i);
            String at = where + "[" + i + "]";
            if (!p.isObject()) {
                throw new InvalidAbiException(at + ": must be an object");
            }
            String name = p.path("name").isString() ? p.path("name").stringValue() : "";
            result.add(new AbiParameter(name, type(text(p, "type", at), p.path("components"), at), event && p.path("indexed").asBoolean(false)));
        }
        return List.copyOf(result);
    }

    private static AbiType type(String type, JsonNode components, String where) {
        String t = type.strip();
        if (t.endsWith("]")) {
            int open = t.lastIndexOf('[');
            if (open < 0) {
                throw new InvalidAbiException(where + ".type: malformed array type '" + type + "'");
            }
            AbiType element = type(t.substring(0, open), components, where);
            String dim = t.substring(open + 1, t.length() - 1);
            if (dim.isEmpty()) {
                return new AbiType(AbiType.Kind.ARRAY, 0, -1, element, List.of());
            }
            if (!dim.matches("[1-9]\\d{0,5}")) {
                throw new InvalidAbiException(where + ".type: bad array length in '" + type + "'");
            }
            return new AbiType(AbiType.Kind.FIXED_ARRAY, 0, Integer.parseInt(dim), element, List.of());
        }
        if (t.equals("tuple")) {
            if (!components.isArray()) {
                throw new InvalidAbiException(where + ".components: a tuple needs a components array");
            }
            List<AbiParameter> members = parameters(components, where + ".components", false);
            return new AbiType(AbiType.Kind.TUPLE, 0, -1, null, members);
        }
        switch (t) {
            case "address":
                return AbiType.simple(AbiType.Kind.ADDRESS, 160);
            case "bool":
                return AbiType.simple(AbiType.Kind.BOOL, 0);
            case "string":
                return AbiType.simple(AbiType.Kind.STRING, 0);
            case "bytes":
                return AbiType.simple(AbiType.Kind.BYTES, 0);
            case "function":
                return AbiType.simple(AbiType.Kind.FIXED_BYTES, 24);
            default:
                break;
        }
        Matcher m = INT.matcher(t);
        if (m.matches()) {
            int bits = m.group(2).isEmpty() ? 256 : Integer.parseInt(m.group(2));
            if (bits < 8 || bits > 256 || bits % 8 != 0) {
                throw new InvalidAbiException(where + ".type: unknown type '" + type + "' (integer sizes are 8..256 in steps of 8)");
            }
            return AbiType.simple(m.group(1).equals("uint") ? AbiType.Kind.UINT : AbiType.Kind.INT, bits);
        }
        m = FIXED_BYTES.matcher(t);
        if (m.matches()) {
            int size = Integer.parseInt(m.group(1));
            if (size < 1 || size > 32) {
                throw new InvalidAbiException(where + ".type: unknown type '" + type + "' (bytes1..bytes32)");
            }
            return AbiType.simple(AbiType.Kind.FIXED_BYTES, size);
        }
        throw new InvalidAbiException(where + ".type: unknown or unsupported type '" + type + "'");
    }

    static byte[] selector(String signature) {
        byte[] hash = Hash.sha3(signature.getBytes(StandardCharsets.UTF_8));
        byte[] selector = new byte[4];
        System.arraycopy(hash, 0, selector, 0, 4);
        return selector;
    }

    public AbiFunction constructor() {
        return constructor;
    }

    public List<AbiFunction> functions() {
        return functions;
    }

    public List<AbiEvent> events() {
        return events;
    }

    public List<AbiError> errors() {
        return errors;
    }

    /**
     * The function named by {@code nameOrSignature}: a plain name when it is not overloaded, or a signature such as
     * {@code store(uint256,string)} to pick one overload.
     */
    public AbiFunction function(String nameOrSignature) {
        String wanted = nameOrSignature.replace(" ", "");
        if (wanted.contains("(")) {
            return functions.stream().filter(f -> f.signature().equals(wanted)).findFirst()
                    .orElseThrow(() -> unknown("function", wanted, functions.stream().map(AbiFunction::signature).toList()));
        }
        List<AbiFunction> named = functions.stream().filter(f -> f.name().equals(wanted)).toList();
        if (named.isEmpty()) {
            throw unknown("function", wanted, functions.stream().map(AbiFunction::signature).toList());
        }
        if (named.size() > 1) {
            throw ContractErrors.AMBIGUOUS_FUNCTION.exception("'" + wanted
                    + "' is overloaded; name one signature instead: "
                    + named.stream().map(AbiFunction::signature).collect(Collectors.joining(", ")))
                    .with("candidates", named.stream().map(AbiFunction::signature).toList());
        }
        return named.getFirst();
    }

    /** The event named by {@code nameOrSignature}, like {@link #function}. */
    public AbiEvent event(String nameOrSignature) {
        String wanted = nameOrSignature.replace(" ", "");
        List<AbiEvent> matching = events.stream()
                .filter(e -> wanted.contains("(") ? e.signature().equals(wanted) : e.name().equals(wanted)).toList();
        if (matching.isEmpty()) {
            throw unknown("event", wanted, events.stream().map(AbiEvent::signature).toList());
        }
        if (matching.size() > 1) {
            throw ContractErrors.AMBIGUOUS_EVENT.exception("'" + wanted + "' is overloaded; name one signature instead")
                    .with("candidates", matching.stream().map(AbiEvent::signature).toList());
        }
        return matching.getFirst();
    }

    public AbiEvent eventByTopic(String topic0) {
        return events.stream().filter(e -> !e.anonymous() && e.topic0().equalsIgnoreCase(topic0)).findFirst().orElse(null);
    }

    public Map<String, AbiError> errorsBySelector() {
        return errors.stream().collect(Collectors.toUnmodifiableMap(AbiError::selectorHex, e -> e, (a, b) -> a));
    }

    private static ApiException unknown(String what, String wanted, List<String> known) {
        return (what.equals("event") ? ContractErrors.UNKNOWN_EVENT : ContractErrors.UNKNOWN_FUNCTION)
                .exception("The contract ABI has no " + what + " '" + wanted + "'")
                .with("available", Collections.unmodifiableList(known));
    }
}
