package io.chainmesh.contract.node;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import io.chainmesh.contract.ContractServiceTestBase;
import io.chainmesh.contract.FakeBlockchainService;
import io.chainmesh.contract.TestChains;
import io.chainmesh.testing.AnvilProcess;

/** A node's description is reused for a few seconds, then asked of blockchain-service again. */
class NodeDirectoryIntegrationTest extends ContractServiceTestBase {

    @Autowired
    BlockchainServiceClient blockchain;

    @Test
    void aNodeIsLookedUpAgainOnlyAfterItsEntryExpired() {
        AtomicLong now = new AtomicLong();
        NodeDirectory directory = new NodeDirectory(blockchain, now::get);
        UUID tenant = UUID.randomUUID();
        UUID node = FakeBlockchainService.get().addNode(tenant, TestChains.automining());

        assertThat(directory.node(tenant, node).status()).isEqualTo("RUNNING");
        FakeBlockchainService.get().setStatus(node, "STOPPED");
        now.addAndGet(NodeDirectory.TTL.minusMillis(1).toNanos());
        assertThat(directory.node(tenant, node).status()).as("still cached").isEqualTo("RUNNING");

        now.addAndGet(Duration.ofMillis(2).toNanos());
        assertThat(directory.node(tenant, node).status()).isEqualTo("STOPPED");
    }
}
