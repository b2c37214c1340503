package io.chainmesh.contract.evm.tx;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import io.chainmesh.contract.ContractProperties;
import io.chainmesh.contract.ContractServiceTestBase;
import io.chainmesh.contract.FakeBlockchainService;
import io.chainmesh.contract.TestChains;
import io.chainmesh.contract.evm.rpc.EthereumRpc;
import io.chainmesh.testing.AnvilProcess;
import tools.jackson.databind.JsonNode;

/**
 * Fees through the real HTTP stand-in to a real anvil: a burst that needs them at once asks the node once, and they
 * are reused for {@code fee-cache-ttl} (time moved by the test's own ticker).
 */
class FeeOracleIntegrationTest extends ContractServiceTestBase {

    @Autowired
    FeeOracle oracle;

    @Autowired
    EthereumRpc rpc;

    @Autowired
    ContractProperties properties;

    @Test
    void feesExpiredForABurstAreLookedUpOnceNotOncePerCaller() throws Exception {
        UUID tenant = UUID.randomUUID();
        UUID node = FakeBlockchainService.get().addNode(tenant, TestChains.automining());
        List<Future<Fees>> fees = new ArrayList<>();
        try (ExecutorService callers = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < 20; i++) {
                fees.add(callers.submit(() -> oracle.fees(tenant, node)));
            }
        }
        Fees expected = fees.getFirst().get();
        for (Future<Fees> f : fees) {
            assertThat(f.get()).isEqualTo(expected);
        }
        assertThat(tipLookups(node)).isEqualTo(1);
    }

    @Test
    void feesAreReusedForTheirTimeToLiveAndThenLookedUpAgain() {
        AtomicLong now = new AtomicLong();
        FeeOracle fees = new FeeOracle(rpc, properties, now::get);
        UUID tenant = UUID.randomUUID();
        UUID node = FakeBlockchainService.get().addNode(tenant, TestChains.automining());
        Duration ttl = properties.transactions().feeCacheTtl();

        fees.fees(tenant, node);
        now.addAndGet(ttl.minusMillis(1).toNanos());
        fees.fees(tenant, node);
        assertThat(tipLookups(node)).isEqualTo(1);

        now.addAndGet(Duration.ofMillis(2).toNanos());
        fees.fees(tenant, node);
        assertThat(tipLookups(node)).isEqualTo(2);
    }

    private static int tipLookups(UUID node) {
        int lookups = 0;
        for (JsonNode request : FakeBlockchainService.get().rpcRequests(node)) {
            for (JsonNode call : request.isArray() ? request : List.of(request)) {
                lookups += call.path("method").asString().equals("eth_maxPriorityFeePerGas") ? 1 : 0;
            }
        }
        return lookups;
    }
}
