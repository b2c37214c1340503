package io.chainmesh.blockchain.node;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

import io.chainmesh.blockchain.BlockchainErrors;
import io.chainmesh.blockchain.network.Networks;
import io.chainmesh.blockchain.node.NodeDtos.CreateNodeRequest;
import io.chainmesh.blockchain.provisioning.NodeRequest;
import io.chainmesh.blockchain.provisioning.Prepared;
import io.chainmesh.blockchain.provisioning.ProvisioningDriver;
import io.chainmesh.blockchain.provisioning.ProvisioningDrivers;
import io.chainmesh.blockchain.provisioning.Reservations;
import io.chainmesh.blockchain.tenant.TenantQuotas;
import io.chainmesh.common.problem.ApiException;

/**
 * The tenant's side of the node lifecycle: records what the tenant wants and leaves the doing to the
 * {@link NodeReconciler}, which is woken after each commit. What is particular to a driver (its request checks, the
 * host resources it reserves) is the driver's business. Every method takes the tenant id explicitly.
 */
@Service
public class NodeService {

    private final NodeRepository nodes;
    private final NodeEvents events;
    private final Networks networks;
    private final TenantQuotas quotas;
    private final ProvisioningDrivers drivers;
    private final NodeReconciler reconciler;

    NodeService(NodeRepository nodes, NodeEvents events, Networks networks, TenantQuotas quotas,
            ProvisioningDrivers drivers, NodeReconciler reconciler) {
        this.nodes = nodes;
        this.events = events;
        this.networks = networks;
        this.quotas = quotas;
        this.drivers = drivers;
        this.reconciler = reconciler;
    }

    @Transactional
    public Node create(UUID tenantId, CreateNodeRequest request) {
        Networks.Network network = networks.find(request.network()).orElseThrow(() -> BlockchainErrors
                .UNKNOWN_NETWORK.exception("No network '" + request.network() + "'; see GET /v1/networks.")
                .with("field", "network"));
        String driverName = request.driver() == null ? network.drivers().getFirst() : request.driver();
        ProvisioningDriver<?> driver = network.drivers().contains(driverName)
                ? drivers.find(driverName).orElse(null) : null;
        if (driver == null) {
            throw BlockchainErrors.UNSUPPORTED_DRIVER.exception("Network '" + network.id() + "' supports drivers "
                    + network.drivers() + ", not '" + driverName + "'.").with("field", "driver");
        }
        NodeRequest wanted = new NodeRequest(UUID.randomUUID(), tenantId, request.name(), network.id(),
                network.protocol(), request.upstreams());
        driver.check(wanted);
        // Ask before locking: the quota call may take up to its timeout.
        Integer maxNodes = quotas.maxNodes(tenantId);
        nodes.lockTenant(tenantId);
        int current = nodes.countWanted(tenantId);
        if (maxNodes != null && current >= maxNodes) {
            throw BlockchainErrors.NODE_QUOTA_EXCEEDED.exception("Your plan allows " + maxNodes
                    + " node(s) and you have " + current + "; delete one or upgrade the plan.")
                    .with("limit", maxNodes).with("current", current);
        }
        return insert(driver, wanted);
    }

    private <S> Node insert(ProvisioningDriver<S> driver, NodeRequest request) {
        Prepared<S> prepared = driver.prepare(request, new StoredReservations());
        Instant now = Instant.now();
        Node node = new Node(request.nodeId(), request.tenantId(), request.name(), request.protocol(),
                request.network(), driver.name(), prepared.chainId(), NodeStatus.PROVISIONING, null, true, false,
                prepared.upstreams(), Node.NodeHealth.unknown(), now, now);
        nodes.insert(node, drivers.writeSpec(prepared.spec()));
        events.publish(node, NodeStatus.PROVISIONING, null);
        wakeReconcilerAfterCommit();
        return node;
    }

    public Node get(UUID tenantId, UUID id) {
        return nodes.find(tenantId, id).orElseThrow(() -> notFound(id));
    }

    public List<Node> list(UUID tenantId, Instant beforeCreatedAt, UUID beforeId, int limit) {
        return nodes.list(tenantId, beforeCreatedAt, beforeId, limit);
    }

    /** Whether the API shows the node's upstreams: only when they are URLs the tenant gave. */
    public boolean showsUpstreams(Node node) {
        return drivers.find(node.driver()).map(ProvisioningDriver::upstreamsAreTenants).orElse(false);
    }

    /** Idempotent: deleting a node that is already going or gone just returns it. */
    @Transactional
    public Node delete(UUID tenantId, UUID id) {
        Node node = nodes.findForUpdate(tenantId, id).orElseThrow(() -> notFound(id));
        if (node.desiredRunning()) {
            nodes.requestDeletion(tenantId, id);
            events.publish(node, NodeStatus.DELETING, null);
            wakeReconcilerAfterCommit();
        }
        return nodes.find(tenantId, id).orElseThrow();
    }

    @Transactional
    public Node restart(UUID tenantId, UUID id) {
        Node node = nodes.findForUpdate(tenantId, id).orElseThrow(() -> notFound(id));
        if (!node.desiredRunning() || node.status() == NodeStatus.PROVISIONING) {
            throw BlockchainErrors.NODE_NOT_RESTARTABLE.exception("Node " + id + " is " + node.status()
                    + "; only RUNNING or FAILED nodes can be restarted.").with("status", node.status().name());
        }
        nodes.requestRestart(tenantId, id);
        events.publish(node, NodeStatus.PROVISIONING, "restart requested");
        wakeReconcilerAfterCommit();
        return nodes.find(tenantId, id).orElseThrow();
    }

    static ApiException notFound(UUID id) {
        return BlockchainErrors.NODE_NOT_FOUND.exception("node " + id + " was not found");
    }

    private void wakeReconcilerAfterCommit() {
        TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
            @Override
            public void afterCommit() {
                reconciler.wake();
            }
        });
    }

    /** What drivers reserve, in the transaction that creates the node. */
    private final class StoredReservations implements Reservations {

        @Override
        public void lock(String name) {
            nodes.lock("reservation:" + name);
        }

        @Override
        public <S> List<S> liveSpecs(ProvisioningDriver<S> driver) {
            return nodes.liveSpecs(driver.name()).stream().map(spec -> drivers.readSpec(driver, spec)).toList();
        }

        @Override
        public long nextValue(String sequence) {
            return nodes.nextValue(sequence);
        }
    }
}
