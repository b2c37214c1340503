package io.chainmesh.blockchain.provisioning;

import java.util.UUID;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

import io.chainmesh.blockchain.BlockchainProperties;
import io.chainmesh.blockchain.node.Node;
import io.chainmesh.blockchain.node.NodeEvents;
import io.chainmesh.blockchain.node.NodeRepository;
import io.chainmesh.blockchain.node.NodeStatus;
import io.chainmesh.blockchain.provisioning.ProvisioningDriver.Provisioned;
import io.chainmesh.blockchain.provisioning.ProvisioningDriver.ProvisioningException;

/**
 * Drives every node toward its desired state, from the database alone, so it survives restarts of this service:
 * a crash at any point leaves a row whose status says what is left to do, and the drivers' operations are idempotent
 * (the local driver adopts a process that is still running rather than starting a second one).
 *
 * <ul>
 * <li>desired deleted (status DELETING): destroy, then DELETED;</li>
 * <li>PROVISIONING: (stop first when a restart was requested) ensure running, then RUNNING or FAILED;</li>
 * <li>RUNNING whose process is gone: ensure running again (data kept), or FAILED if that fails;</li>
 * <li>FAILED: left alone until the tenant restarts or deletes the node.</li>
 * </ul>
 *
 * Runs on one thread every {@code reconcile-interval}, and at once when {@link #wake()}d after a change. Each node
 * is handled in its own transaction holding its row lock ({@code FOR UPDATE SKIP LOCKED}), so two instances never
 * work on the same node and the status change and its {@code chainmesh.chain} event commit together.
 */
@Component
public class NodeReconciler implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(NodeReconciler.class);

    private final NodeRepository nodes;
    private final NodeEvents events;
    private final ProvisioningDrivers drivers;
    private final TransactionTemplate transactions;
    private final long intervalMillis;
    private final Semaphore wakeUp = new Semaphore(0);
    private volatile boolean running;
    private Thread thread;

    NodeReconciler(NodeRepository nodes, NodeEvents events, ProvisioningDrivers drivers,
            TransactionTemplate transactions, BlockchainProperties properties) {
        this.nodes = nodes;
        this.events = events;
        this.drivers = drivers;
        this.transactions = transactions;
        this.intervalMillis = properties.nodes().reconcileInterval().toMillis();
    }

    /** Asks for a pass as soon as possible (after a node was created, deleted or restarted). */
    public void wake() {
        wakeUp.release();
    }

    /** One pass over every live node; public so tests and the loop share it. */
    public void reconcileAll() {
        for (Node node : nodes.findLiveForReconciler()) {
            if (!running && thread != null) {
                return;
            }
            try {
                reconcile(node.id());
            } catch (RuntimeException e) {
                log.error("Reconciling node {} failed; will retry", node.id(), e);
            }
        }
    }

    void reconcile(UUID nodeId) {
        transactions.executeWithoutResult(tx -> nodes.tryLockForReconciler(nodeId).ifPresent(this::reconcile));
    }

    private void reconcile(Node node) {
        ProvisioningDriver driver = drivers.get(node.driver());
        if (!node.desiredRunning()) {
            if (node.status() != NodeStatus.DELETED) {
                driver.destroy(node);
                nodes.markDeleted(node.tenantId(), node.id());
                events.publish(node, NodeStatus.DELETED, null);
                log.info("Node {} deleted", node.id());
            }
            return;
        }
        switch (node.status()) {
            case PROVISIONING -> {
                if (node.restartRequested()) {
                    driver.stop(node);
                }
                provision(node, driver);
            }
            case RUNNING -> {
                if (!driver.isAlive(node)) {
                    log.warn("Node {}: its process is gone; starting it again", node.id());
                    provision(node, driver);
                }
            }
            default -> {
                // FAILED waits for the tenant; DELETING/DELETED were handled above.
            }
        }
    }

    private void provision(Node node, ProvisioningDriver driver) {
        try {
            Provisioned provisioned = driver.ensureRunning(node);
            nodes.markRunning(node.tenantId(), node.id(), provisioned.chainId(), provisioned.upstreams());
            if (node.status() != NodeStatus.RUNNING) {
                Node running = new Node(node.id(), node.tenantId(), node.name(), node.protocol(), node.network(),
                        node.driver(), provisioned.chainId(), NodeStatus.RUNNING, null, true, false, node.port(),
                        provisioned.upstreams(), node.health(), node.createdAt(), node.updatedAt());
                events.publish(running, NodeStatus.RUNNING, null);
            }
        } catch (ProvisioningException e) {
            log.warn("Node {} failed: {}", node.id(), e.getMessage());
            nodes.markFailed(node.tenantId(), node.id(), e.getMessage());
            events.publish(node, NodeStatus.FAILED, e.getMessage());
        }
    }

    private void loop() {
        while (running) {
            try {
                reconcileAll();
                wakeUp.tryAcquire(intervalMillis, TimeUnit.MILLISECONDS);
                wakeUp.drainPermits();
            } catch (InterruptedException e) {
                if (!running) {
                    return;
                }
            } catch (RuntimeException e) {
                log.error("Reconciler pass failed", e);
                sleepQuietly();
            }
        }
    }

    private void sleepQuietly() {
        try {
            Thread.sleep(intervalMillis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void start() {
        running = true;
        thread = Thread.ofPlatform().daemon().name("node-reconciler").start(this::loop);
    }

    @Override
    public void stop() {
        running = false;
        wakeUp.release();
        if (thread != null) {
            // No interrupt: a node start in progress finishes (bounded by start-timeout) and commits.
            try {
                thread.join(30_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public int getPhase() {
        // Stops before the drivers (default phase) so no provisioning is in flight when they stop their processes.
        return Integer.MAX_VALUE - 1000;
    }
}
