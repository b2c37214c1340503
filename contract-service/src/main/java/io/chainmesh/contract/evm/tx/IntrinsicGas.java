package io.chainmesh.contract.evm.tx;

import org.web3j.utils.Numeric;

/**
 * The least gas a transaction must be given before it executes anything. Nodes differ in when they check it: geth
 * refuses such a transaction at submission, but anvil accepts it and silently drops it when building the block, so
 * its nonce would stay unused and every later transaction of the account would wait behind it for ever. A gas limit
 * below this is therefore refused before a nonce is allocated.
 *
 * <p>The larger of the intrinsic cost (Yellow Paper; EIP-2028 calldata prices, EIP-3860 initcode words for a
 * creation) and the calldata floor of EIP-7623 (Prague). Before Prague a limit between the two was valid, but it
 * cannot pay for any contract execution anyway.
 */
final class IntrinsicGas {

    private static final long TRANSACTION = 21_000;
    private static final long CREATION = 32_000;
    private static final long INITCODE_WORD = 2;
    private static final long ZERO_BYTE = 4;
    private static final long NONZERO_BYTE = 16;
    private static final long FLOOR_PER_TOKEN = 10;

    private IntrinsicGas() {
    }

    /** @param data calldata (or initcode when {@code creation}), hex with or without 0x */
    static long of(String data, boolean creation) {
        byte[] bytes = data == null ? new byte[0] : Numeric.hexStringToByteArray(data);
        long zeros = 0;
        for (byte b : bytes) {
            if (b == 0) {
                zeros++;
            }
        }
        long nonZeros = bytes.length - zeros;
        long intrinsic = TRANSACTION + zeros * ZERO_BYTE + nonZeros * NONZERO_BYTE;
        if (creation) {
            intrinsic += CREATION + INITCODE_WORD * ((bytes.length + 31) / 32);
        }
        long floor = TRANSACTION + FLOOR_PER_TOKEN * (zeros + 4 * nonZeros);
        return Math.max(intrinsic, floor);
    }
}
