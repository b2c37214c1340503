package io.chainmesh.contract.evm.abi;

import java.util.List;
import java.util.stream.Collectors;

/**
 * One Solidity ABI type as a tree (Solidity ABI specification, "Types"). Built from the {@code type} and
 * {@code components} of an ABI JSON parameter by {@link ContractAbi}.
 *
 * @param kind       what the value is
 * @param bits       bit width of {@code uint<M>}/{@code int<M>}, byte length of {@code bytes<M>}, 0 otherwise
 * @param length     length of a fixed-size array, -1 otherwise
 * @param element    element type of arrays, null otherwise
 * @param components members of a tuple (struct), empty otherwise
 */
public record AbiType(Kind kind, int bits, int length, AbiType element, List<AbiParameter> components) {

    public enum Kind { UINT, INT, ADDRESS, BOOL, FIXED_BYTES, BYTES, STRING, ARRAY, FIXED_ARRAY, TUPLE }

    static AbiType simple(Kind kind, int bits) {
        return new AbiType(kind, bits, -1, null, List.of());
    }

    /** The canonical name used in signatures, e.g. {@code (uint64,string)[]}. */
    public String canonical() {
        return switch (kind) {
            case UINT -> "uint" + bits;
            case INT -> "int" + bits;
            case ADDRESS -> "address";
            case BOOL -> "bool";
            case FIXED_BYTES -> "bytes" + bits;
            case BYTES -> "bytes";
            case STRING -> "string";
            case ARRAY -> element.canonical() + "[]";
            case FIXED_ARRAY -> element.canonical() + "[" + length + "]";
            case TUPLE -> components.stream().map(p -> p.type().canonical()).collect(Collectors.joining(",", "(", ")"));
        };
    }

    public boolean isDynamic() {
        return switch (kind) {
            case BYTES, STRING, ARRAY -> true;
            case FIXED_ARRAY -> element.isDynamic();
            case TUPLE -> components.stream().anyMatch(p -> p.type().isDynamic());
            default -> false;
        };
    }

    /** Bytes the value occupies in the head of its enclosing tuple. */
    int headSize() {
        if (isDynamic()) {
            return 32;
        }
        return switch (kind) {
            case FIXED_ARRAY -> length * element.headSize();
            case TUPLE -> components.stream().mapToInt(p -> p.type().headSize()).sum();
            default -> 32;
        };
    }

    /** Integers up to 48 bits fit a JSON (IEEE double) number exactly; wider ones are rendered as decimal strings. */
    boolean fitsJsonNumber() {
        return (kind == Kind.UINT || kind == Kind.INT) && bits <= 48;
    }
}
