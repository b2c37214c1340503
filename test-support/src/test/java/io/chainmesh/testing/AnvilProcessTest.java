package io.chainmesh.testing;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class AnvilProcessTest {

    @Test
    void aSharedChainIsStartedOncePerKindAndAnswersJsonRpc() {
        AnvilProcess chain = AnvilProcess.shared(31999);

        assertThat(AnvilProcess.shared(31999)).isSameAs(chain);
        assertThat(Long.decode(chain.rpc("eth_chainId").asString())).isEqualTo(31999);
        long before = chain.blockNumber();
        chain.mine(2);
        assertThat(chain.blockNumber()).isEqualTo(before + 2);
    }
}
