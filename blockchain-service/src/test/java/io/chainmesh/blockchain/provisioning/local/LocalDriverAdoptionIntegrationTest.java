package io.chainmesh.blockchain.provisioning.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.delete;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

import io.chainmesh.blockchain.BlockchainProperties;
import io.chainmesh.blockchain.BlockchainServiceTestBase;
import io.chainmesh.blockchain.provisioning.NodeRef;
import io.chainmesh.blockchain.provisioning.Progress;
import io.chainmesh.blockchain.provisioning.Release;
import io.chainmesh.blockchain.upstream.JsonRpcProbe;
import io.chainmesh.common.identity.Identity;
import tools.jackson.databind.JsonNode;

/**
 * What a restarted blockchain-service finds: a fresh driver (as after a kill -9 of the service) adopts the anvil that
 * is still running instead of starting a second one, replaces one that answers with another chain id, and never
 * kills a process that is not the node's anvil (a pid reused by an unrelated process).
 */
class LocalDriverAdoptionIntegrationTest extends BlockchainServiceTestBase {

    @Autowired
    BlockchainProperties properties;

    @Autowired
    JsonRpcProbe probe;

    @Autowired
    JdbcClient jdbc;

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

    private LocalAnvilSpec storedSpec(String nodeId) {
        String spec = jdbc.sql("SELECT driver_spec::text FROM nodes WHERE id = :id")
                .param("id", UUID.fromString(nodeId)).query(String.class).single();
        return json.readValue(spec, LocalAnvilSpec.class);
    }

    /** Holds the node as another reconciler instance would, so the service's own leaves it to this test. */
    private void claimForTest(String nodeId, boolean claimed) {
        jdbc.sql("UPDATE nodes SET claimed_by = :owner, claimed_until = CASE WHEN :claimed THEN now() + interval "
                + "'1 hour' END WHERE id = :id").param("owner", claimed ? "test" : null).param("claimed", claimed)
                .param("id", UUID.fromString(nodeId)).update();
    }

    /** Takes steps until the node is ready, as the reconciler would. */
    private Progress.Ready<LocalAnvilSpec> untilReady(LocalAnvilDriver driver, NodeRef node, LocalAnvilSpec start) {
        AtomicReference<LocalAnvilSpec> spec = new AtomicReference<>(start);
        Progress<LocalAnvilSpec> last = await("the node ready").atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(100)).until(() -> {
                    Progress<LocalAnvilSpec> step = driver.reconcile(node, spec.get());
                    spec.set(step.spec());
                    return step;
                }, step -> !(step instanceof Progress.Pending));
        assertThat(last).isInstanceOf(Progress.Ready.class);
        return (Progress.Ready<LocalAnvilSpec>) last;
    }

    @Test
    void aFreshDriverAdoptsOnlyTheNodesOwnAnvilAndNeverKillsAnotherProcess() throws Exception {
        UUID tenant = UUID.randomUUID();
        String token = tokenFor(tenant);
        String id = createNode(token, "{\"name\":\"survivor\",\"network\":\"anvil\"}").path("id").asString();
        JsonNode running = awaitStatus(token, id, "RUNNING", Duration.ofSeconds(30));
        claimForTest(id, true);
        Path pidFile = Path.of("target/test-nodes").toAbsolutePath().resolve(id).resolve("anvil.pid");
        long pidBefore = Long.parseLong(Files.readString(pidFile).strip());
        LocalAnvilSpec spec = storedSpec(id);
        NodeRef node = new NodeRef(UUID.fromString(id), tenant, "survivor", "anvil", "ethereum");
        String url = "http://127.0.0.1:" + spec.port();

        LocalAnvilDriver afterRestart = new LocalAnvilDriver(properties, probe, Clock.systemUTC());
        Progress<LocalAnvilSpec> adopted = afterRestart.reconcile(node, spec);

        assertThat(adopted).isEqualTo(new Progress.Ready<>(spec, running.path("chainId").asLong(), List.of(url)));
        assertThat(Long.parseLong(Files.readString(pidFile).strip())).isEqualTo(pidBefore);
        assertThat(afterRestart.reconcile(node, spec)).as("the adopted process is known now").isEqualTo(adopted);
        assertThat(anvilProcessesFor(id)).isEqualTo(1);

        // The node's anvil answering with another chain id than the node's is not adopted but replaced.
        LocalAnvilSpec otherChain = new LocalAnvilSpec(spec.port(), spec.chainId() + 1, spec.dataDir(), null, null);
        Progress<LocalAnvilSpec> replaced = new LocalAnvilDriver(properties, probe, Clock.systemUTC())
                .reconcile(node, otherChain);
        assertThat(replaced).isInstanceOf(Progress.Pending.class);
        assertThat(replaced.spec().launchedPid()).isNotNull().isNotEqualTo(pidBefore);
        assertThat(ProcessHandle.of(pidBefore).map(ProcessHandle::isAlive).orElse(false)).isFalse();
        assertThat(afterRestart.stop(node, spec)).isInstanceOf(Release.Released.class);
        assertThat(anvilProcessesFor(id)).isZero();

        // A pid file naming a live process that is not this node's anvil (pid reuse): that process is left alone.
        Process stranger = new ProcessBuilder("sleep", "60").start();
        try {
            Files.createDirectories(pidFile.getParent());
            Files.writeString(pidFile, Long.toString(stranger.pid()));
            untilReady(afterRestart, node, spec);
            assertThat(stranger.isAlive()).as("the unrelated process").isTrue();
            assertThat(anvilProcessesFor(id)).isEqualTo(1);
        } finally {
            stranger.destroyForcibly();
        }
        claimForTest(id, false);
        mvc.perform(delete("/v1/nodes/" + id).header(Identity.HEADER, token)).andExpect(status().isAccepted());
        awaitStatus(token, id, "DELETED", Duration.ofSeconds(30));
        assertThat(anvilProcessesFor(id)).isZero();
    }
}
