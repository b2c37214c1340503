package io.chainmesh.contract.evm.abi;

import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

import org.web3j.utils.Numeric;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A decoded revert: {@code Error(string)} from {@code require}/{@code revert("...")}, {@code Panic(uint256)} from
 * the compiler's checks (codes from the Solidity docs, "Panic via assert and Error via require"), a custom error
 * declared in the contract's ABI, or undecodable data kept as hex.
 *
 * @param kind      error, panic, custom or unknown
 * @param message   one human-readable line, what the transaction resource shows as {@code revertReason}
 * @param signature the error's signature, e.g. {@code NotAllowed(address,uint256,string)}
 * @param args      decoded arguments by name (custom errors), the reason/code otherwise
 * @param data      the raw revert data
 */
public record RevertReason(String kind, String message, String signature, JsonNode args, String data) {

    private static final String ERROR_SELECTOR = "0x08c379a0";
    private static final String PANIC_SELECTOR = "0x4e487b71";
    private static final List<AbiParameter> STRING = List.of(new AbiParameter("reason", AbiType.simple(AbiType.Kind.STRING, 0), false));
    private static final List<AbiParameter> UINT = List.of(new AbiParameter("code", AbiType.simple(AbiType.Kind.UINT, 256), false));
    private static final Map<Integer, String> PANICS = Map.ofEntries(
            Map.entry(0x00, "generic compiler panic"),
            Map.entry(0x01, "assertion failed"),
            Map.entry(0x11, "arithmetic overflow or underflow"),
            Map.entry(0x12, "division or modulo by zero"),
            Map.entry(0x21, "invalid enum value"),
            Map.entry(0x22, "corrupt storage byte array"),
            Map.entry(0x31, "pop on an empty array"),
            Map.entry(0x32, "array index out of bounds"),
            Map.entry(0x41, "out of memory"),
            Map.entry(0x51, "call to an uninitialized function"));

    public static RevertReason decode(String hexData, ContractAbi abi) {
        String data = hexData == null || hexData.isBlank() ? "0x" : hexData.toLowerCase();
        if (data.length() < 10) {
            return new RevertReason("unknown", "execution reverted without a reason", null, null, data);
        }
        String selector = data.substring(0, 10);
        byte[] body = Numeric.hexStringToByteArray(data.substring(10));
        try {
            if (selector.equals(ERROR_SELECTOR)) {
                ObjectNode args = AbiCodec.decodeToObject(STRING, body);
                return new RevertReason("error", args.get("reason").stringValue(), "Error(string)", args, data);
            }
            if (selector.equals(PANIC_SELECTOR)) {
                ObjectNode args = AbiCodec.decodeToObject(UINT, body);
                int code = Integer.parseInt(args.get("code").asString());
                return new RevertReason("panic", "Panic(0x" + String.format("%02x", code) + "): "
                        + PANICS.getOrDefault(code, "unknown panic code"), "Panic(uint256)", args, data);
            }
            AbiError custom = abi == null ? null : abi.errorsBySelector().get(selector);
            if (custom != null) {
                ObjectNode args = AbiCodec.decodeToObject(custom.inputs(), body);
                StringBuilder message = new StringBuilder(custom.name()).append('(');
                Iterator<Map.Entry<String, JsonNode>> it = args.properties().iterator();
                while (it.hasNext()) {
                    Map.Entry<String, JsonNode> e = it.next();
                    message.append(e.getKey()).append('=').append(e.getValue().isString() ? e.getValue().stringValue() : e.getValue().toString());
                    if (it.hasNext()) {
                        message.append(", ");
                    }
                }
                return new RevertReason("custom", message.append(')').toString(), custom.signature(), args, data);
            }
        } catch (AbiDecodingException | NumberFormatException e) {
            // fall through: keep the raw data
        }
        return new RevertReason("unknown", "execution reverted with undecodable data " + abbreviate(data), null, null, data);
    }

    private static String abbreviate(String data) {
        return data.length() > 74 ? data.substring(0, 74) + "…" : data;
    }

    static boolean sameSelector(byte[] a, byte[] b) {
        return Arrays.equals(a, b);
    }
}
