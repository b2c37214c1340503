package io.chainmesh.contract.evm.rpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;

import org.junit.jupiter.api.Test;

import tools.jackson.databind.node.JsonNodeFactory;

class EthereumRpcQuantityTest {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    @Test
    void hexQuantitiesAreParsed() {
        assertThat(EthereumRpc.quantity(NODES.stringNode("0x0"))).isZero();
        assertThat(EthereumRpc.quantity(NODES.stringNode("0x8586"))).isEqualTo(BigInteger.valueOf(0x8586));
        assertThat(EthereumRpc.quantity(NODES.stringNode("0X3B9ACA00"))).isEqualTo(BigInteger.valueOf(1_000_000_000L));
        assertThat(EthereumRpc.quantity(NODES.stringNode("0x" + "f".repeat(64))))
                .isEqualTo(BigInteger.TWO.pow(256).subtract(BigInteger.ONE));
    }

    @Test
    void aDecimalStringIsTolerated() {
        assertThat(EthereumRpc.quantity(NODES.stringNode("26"))).isEqualTo(BigInteger.valueOf(26));
    }

    @Test
    void anythingElseIsAChainError() {
        for (String bad : new String[] {"0x", "0xzz", "0x-5", "0x+5", "", "abc"}) {
            assertThatThrownBy(() -> EthereumRpc.quantity(NODES.stringNode(bad))).as(bad).isInstanceOf(RpcErrorException.class);
        }
        assertThatThrownBy(() -> EthereumRpc.quantity(NODES.numberNode(5))).isInstanceOf(RpcErrorException.class);
        assertThatThrownBy(() -> EthereumRpc.quantity(null)).isInstanceOf(RpcErrorException.class);
    }
}
