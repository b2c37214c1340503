package io.chainmesh.blockchain.rpc;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

import com.github.benmanes.caffeine.cache.Ticker;

import io.chainmesh.blockchain.node.NodeStatus;
import io.chainmesh.blockchain.rpc.NodeRoutes.NodeRoute;

class NodeRoutesTest {

    private final UUID tenant = UUID.randomUUID();
    private final AtomicLong nanos = new AtomicLong();
    private final Ticker ticker = nanos::get;
    private final AtomicInteger lookups = new AtomicInteger();
    private volatile NodeStatus stored = NodeStatus.RUNNING;

    private final NodeRoutes routes = new NodeRoutes((tenantId, nodeId) -> {
        lookups.incrementAndGet();
        return tenantId.equals(tenant)
                ? Optional.of(new NodeRoute(nodeId, tenantId, stored, List.of("http://127.0.0.1:1")))
                : Optional.empty();
    }, ticker);

    private void advance(Duration by) {
        nanos.addAndGet(by.toNanos());
    }

    @Test
    void aRouteIsReadOnceAndServedFromMemoryForItsTimeToLive() {
        UUID node = UUID.randomUUID();
        assertThat(routes.find(tenant, node)).map(NodeRoute::status).contains(NodeStatus.RUNNING);
        stored = NodeStatus.DELETED;
        advance(NodeRoutes.TTL.minusMillis(1));
        assertThat(routes.find(tenant, node)).map(NodeRoute::status).contains(NodeStatus.RUNNING);
        assertThat(lookups).hasValue(1);

        advance(Duration.ofMillis(1));
        assertThat(routes.find(tenant, node)).map(NodeRoute::status).contains(NodeStatus.DELETED);
        assertThat(lookups).hasValue(2);
    }

    @Test
    void aCachedRouteIsNeverAnsweredToAnotherTenant() {
        UUID node = UUID.randomUUID();
        assertThat(routes.find(tenant, node)).isPresent();
        assertThat(routes.find(UUID.randomUUID(), node)).isEmpty();
        assertThat(lookups).as("answered from the cached owner, not looked up").hasValue(1);
    }

    @Test
    void anUnknownNodeIsNotRemembered() {
        UUID node = UUID.randomUUID();
        UUID stranger = UUID.randomUUID();
        assertThat(routes.find(stranger, node)).isEmpty();
        assertThat(routes.find(tenant, node)).isPresent();
        assertThat(lookups).hasValue(2);
    }
}
