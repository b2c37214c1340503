package io.chainmesh.contract.evm.rpc;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Node errors as geth, anvil, besu and blockchain-service word them, each classified into the kind it means. */
class RpcErrorKindTest {

    @Test
    void revertsAreRecognisedByCodeOrWording() {
        assertThat(RpcErrorKind.of(3, "execution reverted: not allowed")).isEqualTo(RpcErrorKind.EXECUTION_REVERTED);
        assertThat(RpcErrorKind.of(-32000, "Execution reverted")).isEqualTo(RpcErrorKind.EXECUTION_REVERTED);
        // a revert reason that reads like a pool verdict is still a revert
        assertThat(RpcErrorKind.of(-32603, "VM Exception while processing transaction: reverted with reason string"
                + " 'insufficient funds'")).isEqualTo(RpcErrorKind.EXECUTION_REVERTED);
    }

    @Test
    void answersMeaningTheNodeHasTheTransactionCountAsDelivered() {
        for (String message : new String[] {"already known", "transaction already imported", "known transaction: 0xab",
                "nonce too low: next nonce 5, tx nonce 4", "replacement transaction underpriced",
                "Transaction with the same hash was already exists"}) {
            assertThat(RpcErrorKind.of(-32000, message).meansDelivered()).as(message).isTrue();
            assertThat(RpcErrorKind.of(-32000, message).refusesTransaction()).as(message).isFalse();
        }
        assertThat(RpcErrorKind.of(-32000, "nonce too low")).isEqualTo(RpcErrorKind.NONCE_TOO_LOW);
        assertThat(RpcErrorKind.of(-32000, "replacement transaction underpriced"))
                .isEqualTo(RpcErrorKind.REPLACEMENT_UNDERPRICED);
    }

    @Test
    void verdictsOnTheTransactionItselfArePermanent() {
        assertThat(RpcErrorKind.of(-32000, "insufficient funds for gas * price + value")).isEqualTo(RpcErrorKind.INSUFFICIENT_FUNDS);
        assertThat(RpcErrorKind.of(-32003, "intrinsic gas too high -- tx.gas_limit > env.block.gas_limit"))
                .isEqualTo(RpcErrorKind.GAS_LIMIT);
        assertThat(RpcErrorKind.of(-32000, "exceeds block gas limit")).isEqualTo(RpcErrorKind.GAS_LIMIT);
        assertThat(RpcErrorKind.of(-32000, "max priority fee per gas higher than max fee per gas")).isEqualTo(RpcErrorKind.FEE_CAP);
        assertThat(RpcErrorKind.of(-32000, "tx fee (1.2 ether) exceeds the configured cap (1.00 ether)")).isEqualTo(RpcErrorKind.FEE_CAP);
        assertThat(RpcErrorKind.of(-32000, "invalid chain id for signer")).isEqualTo(RpcErrorKind.INVALID_TRANSACTION);
        assertThat(RpcErrorKind.of(-32000, "transaction type not supported")).isEqualTo(RpcErrorKind.INVALID_TRANSACTION);
        for (RpcErrorKind kind : new RpcErrorKind[] {RpcErrorKind.INSUFFICIENT_FUNDS, RpcErrorKind.GAS_LIMIT,
                RpcErrorKind.FEE_CAP, RpcErrorKind.INVALID_TRANSACTION}) {
            assertThat(kind.refusesTransaction()).as(kind.name()).isTrue();
            assertThat(kind.meansDelivered()).as(kind.name()).isFalse();
        }
    }

    @Test
    void anUnreachableNodeOrAnUnknownErrorIsTransient() {
        RpcErrorKind unavailable = RpcErrorKind.of(-32603, "Node unavailable: every upstream failed");
        assertThat(unavailable).isEqualTo(RpcErrorKind.UNAVAILABLE);
        assertThat(RpcErrorKind.of(-32603, "something new")).isEqualTo(RpcErrorKind.UNKNOWN);
        assertThat(RpcErrorKind.of(-32603, null)).isEqualTo(RpcErrorKind.UNKNOWN);
        for (RpcErrorKind kind : new RpcErrorKind[] {unavailable, RpcErrorKind.UNKNOWN}) {
            assertThat(kind.refusesTransaction() || kind.meansDelivered()).as(kind.name()).isFalse();
        }
    }
}
