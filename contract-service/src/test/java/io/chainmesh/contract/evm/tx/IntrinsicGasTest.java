package io.chainmesh.contract.evm.tx;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class IntrinsicGasTest {

    private static final String TRANSFER_TO_DEAD_ONE = "0xa9059cbb"
            + "000000000000000000000000000000000000000000000000000000000000dead"
            + "0000000000000000000000000000000000000000000000000000000000000001";

    @Test
    void aPlainValueTransferCosts21000() {
        assertThat(IntrinsicGas.of("0x", false)).isEqualTo(21_000);
        assertThat(IntrinsicGas.of(null, false)).isEqualTo(21_000);
    }

    @Test
    void callDataIsChargedAtTheEip7623FloorWhenThatIsHigher() {
        // 61 zero and 7 non-zero bytes: 21000 + 4*61 + 16*7 = 21356 intrinsic, 21000 + 10*(61 + 4*7) = 21890 floor
        // (anvil mines 21890 and drops 21889).
        assertThat(IntrinsicGas.of(TRANSFER_TO_DEAD_ONE, false)).isEqualTo(21_890);
    }

    @Test
    void aCreationAddsItsCostAndTheInitcodeWords() {
        // 33 non-zero bytes: 21000 + 32000 + 2*2 words + 16*33 = 53532 against a floor of 21000 + 10*132 = 22320
        assertThat(IntrinsicGas.of("0x" + "60".repeat(33), true)).isEqualTo(53_532);
    }
}
