package io.chainmesh.contract.evm.abi;

import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.web3j.crypto.Keys;
import org.web3j.utils.Numeric;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Converts between plain JSON and the Solidity contract ABI encoding (Solidity docs, "Contract ABI Specification").
 *
 * <p>JSON conventions, both ways: integers of up to 48 bits are JSON numbers, wider ones are decimal strings (they
 * may also be given as JSON numbers or {@code 0x} hex strings); addresses are EIP-55 checksummed hex (a mixed-case
 * input must carry a valid checksum); {@code bytes}/{@code bytesN} are {@code 0x} hex; tuples are objects keyed by
 * member name (or arrays in member order); arrays are arrays. Every mismatch is an {@link AbiArgumentException}
 * naming the path of the offending value.
 */
public final class AbiCodec {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final BigInteger TWO_256 = BigInteger.ONE.shiftLeft(256);

    private AbiCodec() {
    }

    // ---------------------------------------------------------------- encoding

    /** Encodes {@code args} (a JSON array in parameter order, or an object keyed by parameter name) as a tuple. */
    public static byte[] encodeArguments(List<AbiParameter> params, JsonNode args, String path) {
        List<Object> values = tupleValues(params, args == null || args.isNull() || args.isMissingNode()
                ? NODES.arrayNode() : args, path);
        return encodeTuple(params.stream().map(AbiParameter::type).toList(), values);
    }

    /** The function call data: selector followed by the encoded arguments. */
    public static byte[] encodeCall(AbiFunction function, JsonNode args) {
        byte[] body = encodeArguments(function.inputs(), args, "args");
        byte[] data = new byte[4 + body.length];
        System.arraycopy(function.selector(), 0, data, 0, 4);
        System.arraycopy(body, 0, data, 4, body.length);
        return data;
    }

    /** Encodes one value of {@code type} for an event topic filter (static types only; dynamic ones are hashed). */
    public static byte[] encodeTopic(AbiType type, JsonNode value, String path) {
        Object v = toValue(type, value, path);
        if (type.isDynamic() || type.kind() == AbiType.Kind.TUPLE || type.kind() == AbiType.Kind.FIXED_ARRAY) {
            // Solidity stores keccak256 of the (packed) value for indexed reference types; we support strings and bytes.
            if (type.kind() == AbiType.Kind.STRING) {
                return org.web3j.crypto.Hash.sha3(((String) v).getBytes(StandardCharsets.UTF_8));
            }
            if (type.kind() == AbiType.Kind.BYTES) {
                return org.web3j.crypto.Hash.sha3((byte[]) v);
            }
            throw new AbiArgumentException(path, "filtering on an indexed " + type.canonical() + " is not supported");
        }
        return encodeTuple(List.of(type), List.of(v));
    }

    private static List<Object> tupleValues(List<AbiParameter> params, JsonNode node, String path) {
        List<Object> values = new ArrayList<>(params.size());
        if (node.isArray()) {
            if (node.size() != params.size()) {
                throw new AbiArgumentException(path, "expected " + params.size() + " values but got " + node.size());
            }
            for (int i = 0; i < params.size(); i++) {
                values.add(toValue(params.get(i).type(), node.get(i), path + "[" + i + "]"));
            }
            return values;
        }
        if (node.isObject()) {
            Set<String> known = new HashSet<>();
            for (int i = 0; i < params.size(); i++) {
                AbiParameter p = params.get(i);
                String key = p.name().isEmpty() ? String.valueOf(i) : p.name();
                known.add(key);
                JsonNode v = node.get(key);
                if (v == null) {
                    throw new AbiArgumentException(path + "." + key, "is required (" + p.type().canonical() + ")");
                }
                values.add(toValue(p.type(), v, path + "." + key));
            }
            for (String field : node.propertyNames()) {
                if (!known.contains(field)) {
                    throw new AbiArgumentException(path + "." + field, "is not a parameter; expected " + known);
                }
            }
            return values;
        }
        throw new AbiArgumentException(path, "must be an array or an object of " + params.size() + " values");
    }

    /** JSON to a Java value: BigInteger, String (address), Boolean, byte[], String, List. */
    private static Object toValue(AbiType type, JsonNode node, String path) {
        if (node == null || node.isNull()) {
            throw new AbiArgumentException(path, "is required (" + type.canonical() + ")");
        }
        switch (type.kind()) {
            case UINT, INT -> {
                BigInteger v = integer(node, path, type);
                BigInteger min = type.kind() == AbiType.Kind.UINT ? BigInteger.ZERO : BigInteger.ONE.shiftLeft(type.bits() - 1).negate();
                BigInteger max = type.kind() == AbiType.Kind.UINT ? BigInteger.ONE.shiftLeft(type.bits()).subtract(BigInteger.ONE)
                        : BigInteger.ONE.shiftLeft(type.bits() - 1).subtract(BigInteger.ONE);
                if (v.compareTo(min) < 0 || v.compareTo(max) > 0) {
                    throw new AbiArgumentException(path, "value " + v + " is out of range for " + type.canonical());
                }
                return v;
            }
            case ADDRESS -> {
                return address(node, path);
            }
            case BOOL -> {
                if (!node.isBoolean()) {
                    throw new AbiArgumentException(path, "must be true or false (bool)");
                }
                return node.booleanValue();
            }
            case FIXED_BYTES -> {
                byte[] b = hex(node, path, type.canonical());
                if (b.length != type.bits()) {
                    throw new AbiArgumentException(path, "must be exactly " + type.bits() + " bytes (" + type.canonical()
                            + ") but has " + b.length);
                }
                return b;
            }
            case BYTES -> {
                return hex(node, path, "bytes");
            }
            case STRING -> {
                if (!node.isString()) {
                    throw new AbiArgumentException(path, "must be a string");
                }
                return node.stringValue();
            }
            case ARRAY, FIXED_ARRAY -> {
                if (!node.isArray()) {
                    throw new AbiArgumentException(path, "must be an array (" + type.canonical() + ")");
                }
                if (type.kind() == AbiType.Kind.FIXED_ARRAY && node.size() != type.length()) {
                    throw new AbiArgumentException(path, "must have exactly " + type.length() + " elements ("
                            + type.canonical() + ") but has " + node.size());
                }
                List<Object> list = new ArrayList<>(node.size());
                for (int i = 0; i < node.size(); i++) {
                    list.add(toValue(type.element(), node.get(i), path + "[" + i + "]"));
                }
                return list;
            }
            case TUPLE -> {
                return tupleValues(type.components(), node, path);
            }
            default -> throw new IllegalStateException(type.kind().toString());
        }
    }

    private static BigInteger integer(JsonNode node, String path, AbiType type) {
        if (node.isIntegralNumber()) {
            return node.bigIntegerValue();
        }
        if (node.isNumber()) {
            throw new AbiArgumentException(path, "must be an integer (" + type.canonical() + ")");
        }
        if (node.isString()) {
            String s = node.stringValue().strip();
            try {
                if (s.startsWith("0x") || s.startsWith("0X")) {
                    return new BigInteger(s.substring(2), 16);
                }
                if (s.startsWith("-0x")) {
                    return new BigInteger(s.substring(3), 16).negate();
                }
                return new BigInteger(s);
            } catch (NumberFormatException e) {
                throw new AbiArgumentException(path, "'" + s + "' is not an integer (" + type.canonical() + ")");
            }
        }
        throw new AbiArgumentException(path, "must be an integer as a number or decimal string (" + type.canonical() + ")");
    }

    /** Validates an address; a mixed-case address must carry a correct EIP-55 checksum. */
    public static String address(JsonNode node, String path) {
        if (!node.isString()) {
            throw new AbiArgumentException(path, "must be a 0x-prefixed 20-byte hex address");
        }
        return checksummed(node.stringValue(), path);
    }

    public static String checksummed(String s, String path) {
        if (s == null || !s.matches("0[xX][0-9a-fA-F]{40}")) {
            throw new AbiArgumentException(path, "must be a 0x-prefixed 20-byte hex address");
        }
        String hex = s.substring(2);
        String checksummed = Keys.toChecksumAddress(hex);
        boolean mixed = !hex.equals(hex.toLowerCase()) && !hex.equals(hex.toUpperCase());
        if (mixed && !checksummed.substring(2).equals(hex)) {
            throw new AbiArgumentException(path, "has an invalid EIP-55 checksum (expected " + checksummed + ")");
        }
        return checksummed;
    }

    private static byte[] hex(JsonNode node, String path, String type) {
        if (!node.isString() || !node.stringValue().matches("0[xX]([0-9a-fA-F]{2})*")) {
            throw new AbiArgumentException(path, "must be a 0x-prefixed hex string with whole bytes (" + type + ")");
        }
        return Numeric.hexStringToByteArray(node.stringValue());
    }

    private static byte[] encodeTuple(List<AbiType> types, List<Object> values) {
        int headLength = types.stream().mapToInt(AbiType::headSize).sum();
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        ByteArrayOutputStream tail = new ByteArrayOutputStream();
        for (int i = 0; i < types.size(); i++) {
            AbiType type = types.get(i);
            byte[] encoded = encode(type, values.get(i));
            if (type.isDynamic()) {
                head.writeBytes(word(BigInteger.valueOf(headLength + tail.size())));
                tail.writeBytes(encoded);
            } else {
                head.writeBytes(encoded);
            }
        }
        head.writeBytes(tail.toByteArray());
        return head.toByteArray();
    }

    @SuppressWarnings("unchecked")
    private static byte[] encode(AbiType type, Object value) {
        return switch (type.kind()) {
            case UINT, INT -> word((BigInteger) value);
            case ADDRESS -> word(new BigInteger(((String) value).substring(2), 16));
            case BOOL -> word((Boolean) value ? BigInteger.ONE : BigInteger.ZERO);
            case FIXED_BYTES -> Arrays.copyOf((byte[]) value, 32);
            case BYTES -> dynamicBytes((byte[]) value);
            case STRING -> dynamicBytes(((String) value).getBytes(StandardCharsets.UTF_8));
            case FIXED_ARRAY -> {
                List<Object> list = (List<Object>) value;
                yield encodeTuple(java.util.Collections.nCopies(list.size(), type.element()), list);
            }
            case ARRAY -> {
                List<Object> list = (List<Object>) value;
                byte[] body = encodeTuple(java.util.Collections.nCopies(list.size(), type.element()), list);
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                out.writeBytes(word(BigInteger.valueOf(list.size())));
                out.writeBytes(body);
                yield out.toByteArray();
            }
            case TUPLE -> encodeTuple(type.components().stream().map(AbiParameter::type).toList(), (List<Object>) value);
        };
    }

    private static byte[] dynamicBytes(byte[] bytes) {
        int padded = (bytes.length + 31) / 32 * 32;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(word(BigInteger.valueOf(bytes.length)));
        out.writeBytes(Arrays.copyOf(bytes, padded));
        return out.toByteArray();
    }

    /** Two's complement 32-byte big-endian word. */
    private static byte[] word(BigInteger v) {
        BigInteger unsigned = v.signum() < 0 ? v.add(TWO_256) : v;
        byte[] raw = unsigned.toByteArray();
        byte[] out = new byte[32];
        int copy = Math.min(raw.length, 32);
        System.arraycopy(raw, raw.length - copy, out, 32 - copy, copy);
        return out;
    }

    // ---------------------------------------------------------------- decoding

    /** Decodes ABI-encoded {@code data} into an object keyed by parameter name (position when unnamed). */
    public static ObjectNode decodeToObject(List<AbiParameter> params, byte[] data) {
        ArrayNode values = decodeToArray(params, data);
        ObjectNode out = NODES.objectNode();
        for (int i = 0; i < params.size(); i++) {
            out.set(params.get(i).name().isEmpty() ? String.valueOf(i) : params.get(i).name(), values.get(i));
        }
        return out;
    }

    public static ArrayNode decodeToArray(List<AbiParameter> params, byte[] data) {
        try {
            return decodeTuple(params.stream().map(AbiParameter::type).toList(), data, 0);
        } catch (IndexOutOfBoundsException | IllegalArgumentException | ArithmeticException e) {
            throw new AbiDecodingException("the returned data does not match the ABI types "
                    + params.stream().map(p -> p.type().canonical()).toList() + ": " + e.getMessage());
        }
    }

    /** One static value from a 32-byte event topic. */
    public static JsonNode decodeTopic(AbiType type, byte[] topic) {
        if (type.isDynamic() || type.kind() == AbiType.Kind.TUPLE || type.kind() == AbiType.Kind.FIXED_ARRAY) {
            // Only the keccak256 hash of an indexed reference type is on chain.
            return NODES.stringNode(Numeric.toHexString(topic));
        }
        return decode(type, topic, 0);
    }

    private static ArrayNode decodeTuple(List<AbiType> types, byte[] data, int base) {
        ArrayNode out = NODES.arrayNode();
        int head = base;
        for (AbiType type : types) {
            if (type.isDynamic()) {
                int offset = toInt(readWord(data, head));
                out.add(decode(type, data, base + offset));
            } else {
                out.add(decode(type, data, head));
            }
            head += type.headSize();
        }
        return out;
    }

    private static JsonNode decode(AbiType type, byte[] data, int at) {
        switch (type.kind()) {
            case UINT -> {
                BigInteger v = new BigInteger(1, readWord(data, at));
                if (v.bitLength() > type.bits()) {
                    throw new IllegalArgumentException("value wider than " + type.canonical());
                }
                return type.fitsJsonNumber() ? NODES.numberNode(v.longValueExact()) : NODES.stringNode(v.toString());
            }
            case INT -> {
                BigInteger v = new BigInteger(readWord(data, at));
                return type.fitsJsonNumber() ? NODES.numberNode(v.longValueExact()) : NODES.stringNode(v.toString());
            }
            case ADDRESS -> {
                byte[] w = readWord(data, at);
                return NODES.stringNode(Keys.toChecksumAddress(Numeric.toHexStringNoPrefixZeroPadded(
                        new BigInteger(1, Arrays.copyOfRange(w, 12, 32)), 40)));
            }
            case BOOL -> {
                return NODES.booleanNode(new BigInteger(1, readWord(data, at)).signum() != 0);
            }
            case FIXED_BYTES -> {
                return NODES.stringNode(Numeric.toHexString(Arrays.copyOf(readWord(data, at), type.bits())));
            }
            case BYTES -> {
                return NODES.stringNode(Numeric.toHexString(readDynamic(data, at)));
            }
            case STRING -> {
                try {
                    return NODES.stringNode(StandardCharsets.UTF_8.newDecoder()
                            .onMalformedInput(CodingErrorAction.REPORT)
                            .decode(ByteBuffer.wrap(readDynamic(data, at))).toString());
                } catch (CharacterCodingException e) {
                    throw new IllegalArgumentException("string is not valid UTF-8");
                }
            }
            case FIXED_ARRAY -> {
                return decodeTuple(java.util.Collections.nCopies(type.length(), type.element()), data, at);
            }
            case ARRAY -> {
                int length = toInt(readWord(data, at));
                if (length > data.length) {
                    throw new IllegalArgumentException("array length " + length + " exceeds the data");
                }
                return decodeTuple(java.util.Collections.nCopies(length, type.element()), data, at + 32);
            }
            case TUPLE -> {
                ArrayNode values = decodeTuple(type.components().stream().map(AbiParameter::type).toList(), data, at);
                ObjectNode out = NODES.objectNode();
                for (int i = 0; i < type.components().size(); i++) {
                    String name = type.components().get(i).name();
                    out.set(name.isEmpty() ? String.valueOf(i) : name, values.get(i));
                }
                return out;
            }
            default -> throw new IllegalStateException(type.kind().toString());
        }
    }

    private static byte[] readDynamic(byte[] data, int at) {
        int length = toInt(readWord(data, at));
        if (at + 32 + length > data.length) {
            throw new IllegalArgumentException("dynamic value of " + length + " bytes exceeds the data");
        }
        return Arrays.copyOfRange(data, at + 32, at + 32 + length);
    }

    private static byte[] readWord(byte[] data, int at) {
        if (at < 0 || at + 32 > data.length) {
            throw new IllegalArgumentException("data too short: needs a word at offset " + at + " of " + data.length);
        }
        return Arrays.copyOfRange(data, at, at + 32);
    }

    private static int toInt(byte[] word) {
        BigInteger v = new BigInteger(1, word);
        if (v.bitLength() > 31) {
            throw new IllegalArgumentException("offset or length too large");
        }
        return v.intValue();
    }
}
