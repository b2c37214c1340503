package io.chainmesh.blockchain.node;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

import io.chainmesh.blockchain.BlockchainServiceTestBase;
import io.chainmesh.blockchain.node.NodeRepository.Claim;

/**
 * The reconciler's claims against the real PostgreSQL, played by several "instances" while the service's own
 * reconciler is paused: no node is claimed twice, a claim that ran out is taken over and its former owner can store
 * nothing, and a step's status change commits only if the tenant changed nothing since the claim.
 */
class NodeClaimsIntegrationTest extends BlockchainServiceTestBase {

    private static final Duration LEASE = Duration.ofMinutes(1);

    @Autowired
    NodeRepository nodes;

    @Autowired
    NodeReconciler reconciler;

    @Autowired
    JdbcClient jdbc;

    private final List<UUID> inserted = new ArrayList<>();
    private final Set<String> owners = ConcurrentHashMap.newKeySet();

    @BeforeEach
    void pauseTheServicesReconciler() {
        reconciler.stop();
    }

    @AfterEach
    void cleanUp() {
        owners.forEach(nodes::releaseClaims);
        if (!inserted.isEmpty()) {
            jdbc.sql("DELETE FROM nodes WHERE id IN (:ids)").param("ids", inserted).update();
        }
        reconciler.start();
    }

    private UUID insertDueNode() {
        UUID id = UUID.randomUUID();
        Instant now = Instant.now();
        nodes.insert(new Node(id, UUID.randomUUID(), "claimed", "ethereum", "custom-evm", "external", null,
                NodeStatus.PROVISIONING, null, true, false, List.of("http://127.0.0.1:1"), Node.NodeHealth.unknown(),
                now, now), "{\"upstreams\":[\"http://127.0.0.1:1\"],\"chainId\":null}");
        inserted.add(id);
        return id;
    }

    private List<Claim> claim(String owner, Duration lease, int limit) {
        owners.add(owner);
        return nodes.claimDue(owner, lease, limit).stream().filter(c -> inserted.contains(c.node().id())).toList();
    }

    @Test
    void instancesClaimingAtOnceNeverClaimTheSameNode() throws Exception {
        for (int i = 0; i < 40; i++) {
            insertDueNode();
        }
        List<UUID> claimed = Collections.synchronizedList(new ArrayList<>());
        ExecutorService instances = Executors.newFixedThreadPool(4);
        List<Future<?>> running = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            String owner = "instance-" + i;
            running.add(instances.submit(() -> {
                List<Claim> batch;
                do {
                    batch = claim(owner, LEASE, 3);
                    batch.forEach(c -> claimed.add(c.node().id()));
                } while (!batch.isEmpty());
                return null;
            }));
        }
        for (Future<?> instance : running) {
            instance.get();
        }
        instances.shutdown();
        assertThat(claimed).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(inserted);
    }

    @Test
    void aClaimThatRanOutIsTakenOverAndItsFormerOwnerStoresNothing() {
        UUID id = insertDueNode();
        Claim stale = claim("crashed", Duration.ofMillis(1), 16).getFirst();
        Claim taken = claim("survivor", LEASE, 16).getFirst();
        assertThat(taken.node().id()).isEqualTo(id);

        assertThat(nodes.markRunning(stale, "crashed", 1, List.of("http://127.0.0.1:1"))).isFalse();
        assertThat(nodes.endClaim(stale, "crashed", "{\"upstreams\":[],\"chainId\":7}", Duration.ZERO)).isFalse();
        assertThat(nodes.markRunning(taken, "survivor", 1, List.of("http://127.0.0.1:1"))).isTrue();
        assertThat(nodes.endClaim(taken, "survivor", "{\"upstreams\":[\"http://127.0.0.1:1\"],\"chainId\":1}",
                LEASE)).isTrue();
        assertThat(jdbc.sql("SELECT driver_spec->>'chainId' FROM nodes WHERE id = :id").param("id", id)
                .query(String.class).single()).isEqualTo("1");
        assertThat(claim("survivor", LEASE, 16)).as("not due before its next step time").isEmpty();
    }

    @Test
    void aClaimedNodeIsNotClaimedAgainWhileTheLeaseLasts() {
        insertDueNode();
        assertThat(claim("instance", LEASE, 16)).hasSize(1);
        assertThat(claim("other", LEASE, 16)).isEmpty();
        assertThat(claim("instance", LEASE, 16)).isEmpty();
    }

    @Test
    void aStepsStatusChangeCommitsOnlyIfTheTenantChangedNothingSinceTheClaim() {
        UUID id = insertDueNode();
        Claim claim = claim("instance", LEASE, 16).getFirst();
        Node node = claim.node();
        nodes.requestDeletion(node.tenantId(), id);

        assertThat(nodes.markRunning(claim, "instance", 1, List.of("http://127.0.0.1:1"))).isFalse();
        assertThat(nodes.endClaim(claim, "instance", claim.spec(), Duration.ZERO)).isTrue();
        assertThat(nodes.find(node.tenantId(), id)).hasValueSatisfying(n -> {
            assertThat(n.status()).isEqualTo(NodeStatus.DELETING);
            assertThat(n.desiredRunning()).isFalse();
        });
        Claim again = claim("instance", LEASE, 16).getFirst();
        assertThat(again.version()).isEqualTo(claim.version() + 1);
        assertThat(nodes.markDeleted(again, "instance")).isTrue();
    }
}
