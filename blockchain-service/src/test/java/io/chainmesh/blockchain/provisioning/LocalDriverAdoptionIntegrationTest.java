package io.chainmesh.blockchain.provisioning;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;

import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.delete;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import io.chainmesh.blockchain.BlockchainProperties;
import io.chainmesh.blockchain.BlockchainServiceTestBase;
import io.chainmesh.blockchain.node.Node;
import io.chainmesh.blockchain.node.NodeRepository;
import io.chainmesh.common.identity.Identity;

/**
 * What a restarted blockchain-service finds: a fresh driver instance (as after a kill -9 of the service) adopts the
 * anvil that is still running instead of starting a second one.
 */
class LocalDriverAdoptionIntegrationTest extends BlockchainServiceTestBase {

    @Autowired
    BlockchainProperties properties;

    @Autowired
    RpcProbe probe;

    @Autowired
    NodeRepository nodes;

    private static long anvilProcessesFor(String nodeId) {
        return ProcessHandle.allProcesses().filter(p -> {
            try {
                String cmd = Files.readString(Path.of("/proc", Long.toString(p.pid()), "cmdline"));
                return cmd.contains("anvil") && cmd.contains(nodeId);
            } catch (Exception e) {
                return false;
            }
        }).count();
    }

    @Test
    void aFreshDriverAdoptsTheStillRunningProcessInsteadOfStartingASecondOne() throws Exception {
        UUID tenant = UUID.randomUUID();
        String token = tokenFor(tenant);
        String id = createNode(token, "{\"name\":\"survivor\",\"network\":\"anvil\"}").path("id").asString();
        awaitStatus(token, id, "RUNNING", Duration.ofSeconds(30));
        Path pidFile = Path.of("target/test-nodes").toAbsolutePath().resolve(id).resolve("anvil.pid");
        String pidBefore = Files.readString(pidFile);
        Node node = nodes.find(tenant, UUID.fromString(id)).orElseThrow();

        LocalAnvilDriver afterRestart = new LocalAnvilDriver(properties, probe);
        ProvisioningDriver.Provisioned adopted = afterRestart.ensureRunning(node);

        assertThat(adopted.upstreams()).isEqualTo(node.upstreams());
        assertThat(Files.readString(pidFile)).isEqualTo(pidBefore);
        assertThat(afterRestart.isAlive(node)).isTrue();
        assertThat(anvilProcessesFor(id)).isEqualTo(1);

        // A pid file naming a live process that is not this node's anvil (pid reuse): that process is left alone.
        long self = ProcessHandle.current().pid();
        afterRestart.stop(node);
        Files.createDirectories(pidFile.getParent());
        Files.writeString(pidFile, Long.toString(self));
        assertThat(afterRestart.isAlive(node)).isFalse();
        afterRestart.ensureRunning(node);
        assertThat(ProcessHandle.current().isAlive()).isTrue();
        assertThat(anvilProcessesFor(id)).isEqualTo(1);
        afterRestart.stop(node);
        mvc.perform(delete("/v1/nodes/" + id).header(Identity.HEADER, token)).andExpect(status().isAccepted());
        awaitStatus(token, id, "DELETED", Duration.ofSeconds(30));
        assertThat(anvilProcessesFor(id)).isZero();
    }
}
