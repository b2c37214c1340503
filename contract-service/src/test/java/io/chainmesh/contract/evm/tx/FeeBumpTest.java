package io.chainmesh.contract.evm.tx;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;

import org.junit.jupiter.api.Test;

class FeeBumpTest {

    @Test
    void aFeeIsRaisedByThePercentage() {
        assertThat(FeeBumper.raisedBy(BigInteger.valueOf(1_000_000_000L), 12)).isEqualTo(BigInteger.valueOf(1_120_000_000L));
    }

    @Test
    void aSmallFeeIsRoundedUpSoItStillRisesByAtLeastThePercentage() {
        // 5 * 1.12 = 5.6: rounding down would keep 5, which no node accepts as a replacement
        assertThat(FeeBumper.raisedBy(BigInteger.valueOf(5), 12)).isEqualTo(BigInteger.valueOf(6));
        assertThat(FeeBumper.raisedBy(BigInteger.ONE, 10)).isEqualTo(BigInteger.TWO);
        assertThat(FeeBumper.raisedBy(BigInteger.ZERO, 12)).isEqualTo(BigInteger.ZERO);
    }
}
