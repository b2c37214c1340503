package io.chainmesh.contract.evm.tx;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import io.chainmesh.contract.ContractServiceTestBase;
import io.chainmesh.contract.FakeBlockchainService;
import io.chainmesh.contract.TestChain;
import tools.jackson.databind.JsonNode;

/** A burst of sends needs fees at once: the node is asked once, through the real HTTP stand-in, to a real anvil. */
class FeeOracleIntegrationTest extends ContractServiceTestBase {

    @Autowired
    FeeOracle oracle;

    @Test
    void feesExpiredForABurstAreLookedUpOnceNotOncePerCaller() throws Exception {
        UUID tenant = UUID.randomUUID();
        UUID node = FakeBlockchainService.get().addNode(tenant, TestChain.shared());
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
        int tipLookups = 0;
        for (JsonNode request : FakeBlockchainService.get().rpcRequests(node)) {
            for (JsonNode call : request.isArray() ? request : List.of(request)) {
                tipLookups += call.path("method").asString().equals("eth_maxPriorityFeePerGas") ? 1 : 0;
            }
        }
        assertThat(tipLookups).isEqualTo(1);
    }
}
