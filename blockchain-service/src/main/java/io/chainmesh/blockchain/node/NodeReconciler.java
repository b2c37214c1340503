package io.chainmesh.blockchain.node;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

import io.chainmesh.blockchain.BlockchainProperties;
import io.chainmesh.blockchain.node.NodeRepository.Claim;
import io.chainmesh.blockchain.provisioning.NodeRef;
import io.chainmesh.blockchain.provisioning.Progress;
import io.chainmesh.blockchain.provisioning.ProvisioningDriver;
import io.chainmesh.blockchain.provisioning.ProvisioningDrivers;
import io.chainmesh.blockchain.provisioning.Release;

/**
 * Drives every node toward what its tenant wants, one driver step at a time, from the database alone, so that it
 * survives restarts of this service and runs on several instances at once. Each pass:
 * <ol>
 * <li><em>claims</em> the nodes that are due: one short statement marks them as this instance's for a lease
 * ({@code FOR UPDATE SKIP LOCKED}, so two instances never claim the same node);</li>
 * <li>takes one <em>step</em> on each: its driver is called with the node's spec, outside any transaction, so a
 * driver may take its time without holding a row lock or a connection;</li>
 * <li><em>commits</em> each step in one transaction: the spec as the driver left it, the status change it led to
 * with its {@code chainmesh.chain} event, and when the node is due again. The status change commits only if the
 * tenant did not ask for something else since the claim (the row's version); otherwise the node is due at once.</li>
 * </ol>
 *
 * What a step is, by what the node's row says:
 * <ul>
 * <li>deletion wanted (DELETING): release until released, then DELETED;</li>
 * <li>restart requested (PROVISIONING): stop until stopped, then on as PROVISIONING;</li>
 * <li>PROVISIONING: reconcile until ready (RUNNING) or failed (FAILED);</li>
 * <li>RUNNING: reconcile every {@code reconcile-interval}, so a node whose process went away is brought back (it
 * stays RUNNING meanwhile) or becomes FAILED;</li>
 * <li>FAILED: left alone until the tenant restarts or deletes the node.</li>
 * </ul>
 * A crash at any point leaves a claim that expires after {@code claim-lease}; the drivers' steps are idempotent, so
 * whichever instance takes the node over simply takes the step again.
 */
@Component
class NodeReconciler implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(NodeReconciler.class);
    /** Nodes claimed per pass; their steps run in parallel. */
    private static final int BATCH = 16;
    /** Shortest pause between passes, so a node another transaction holds locked is not polled in a busy loop. */
    private static final long MIN_PAUSE_MILLIS = 20;

    private final NodeRepository nodes;
    private final NodeEvents events;
    private final ProvisioningDrivers drivers;
    private final TransactionTemplate transactions;
    private final Duration interval;
    private final Duration lease;
    private final String owner = System.getenv().getOrDefault("HOSTNAME", "blockchain-service") + "/"
            + UUID.randomUUID();
    private final Semaphore wakeUp = new Semaphore(0);
    private ExecutorService steps;
    private volatile boolean running;
    private Thread thread;

    NodeReconciler(NodeRepository nodes, NodeEvents events, ProvisioningDrivers drivers,
            TransactionTemplate transactions, BlockchainProperties properties) {
        this.nodes = nodes;
        this.events = events;
        this.drivers = drivers;
        this.transactions = transactions;
        this.interval = properties.nodes().reconcileInterval();
        this.lease = properties.nodes().claimLease();
    }

    /** Asks for a pass as soon as possible (after a node was created, deleted or restarted). */
    void wake() {
        wakeUp.release();
    }

    /** Claims the nodes due now and takes one step on each; returns how many there were. */
    int reconcileDue() {
        List<Claim> claims = nodes.claimDue(owner, lease, BATCH);
        if (claims.size() == 1) {
            step(claims.getFirst());
        } else if (!claims.isEmpty()) {
            List<Future<?>> pending = claims.stream()
                    .<Future<?>>map(claim -> steps.submit(() -> step(claim))).toList();
            for (Future<?> step : pending) {
                try {
                    step.get();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return claims.size();
                } catch (ExecutionException e) {
                    log.error("Reconciler step failed", e.getCause());
                }
            }
        }
        return claims.size();
    }

    private void step(Claim claim) {
        try {
            stepWith(drivers.get(claim.node().driver()), claim);
        } catch (RuntimeException e) {
            log.error("Reconciling node {} failed; will retry", claim.node().id(), e);
            try {
                nodes.endClaim(claim, owner, claim.spec(), interval);
            } catch (RuntimeException again) {
                log.warn("Node {}: could not end its claim; it expires after {}", claim.node().id(), lease);
            }
        }
    }

    private <S> void stepWith(ProvisioningDriver<S> driver, Claim claim) {
        Node node = claim.node();
        NodeRef ref = new NodeRef(node.id(), node.tenantId(), node.name(), node.network(), node.protocol());
        S spec = drivers.readSpec(driver, claim.spec());
        if (!node.desiredRunning()) {
            switch (driver.release(ref, spec)) {
                case Release.Pending<S> pending -> commit(claim, pending.spec(), pending.retryAfter(), null);
                case Release.Released<S> released -> commit(claim, released.spec(), interval, () -> deleted(claim));
            }
            return;
        }
        if (node.restartRequested()) {
            switch (driver.stop(ref, spec)) {
                case Release.Pending<S> pending -> commit(claim, pending.spec(), pending.retryAfter(), null);
                case Release.Released<S> stopped -> commit(claim, stopped.spec(), Duration.ZERO,
                        () -> nodes.restartStopped(claim, owner));
            }
            return;
        }
        switch (driver.reconcile(ref, spec)) {
            case Progress.Pending<S> pending -> commit(claim, pending.spec(), pending.retryAfter(), null);
            case Progress.Ready<S> ready -> {
                boolean changed = node.status() != NodeStatus.RUNNING
                        || !Objects.equals(node.chainId(), ready.chainId())
                        || !node.upstreams().equals(ready.upstreams());
                commit(claim, ready.spec(), interval, changed ? () -> running(claim, ready) : null);
            }
            case Progress.Failed<S> failed -> commit(claim, failed.spec(), interval,
                    () -> failed(claim, failed.reason()));
        }
    }

    /**
     * Stores the step: the status change when there is one (it answers whether it still applied), the driver's spec
     * and when the node is due again, in one transaction.
     */
    private void commit(Claim claim, Object spec, Duration dueIn, BooleanSupplier change) {
        String stored = drivers.writeSpec(spec);
        transactions.executeWithoutResult(tx -> {
            boolean applied = change == null || change.getAsBoolean();
            if (!nodes.endClaim(claim, owner, stored, applied ? dueIn : Duration.ZERO)) {
                // The lease ran out and another instance took the node over: the row is its business now.
                log.warn("Node {}: claim lost before its step was stored; another instance takes it from here",
                        claim.node().id());
                tx.setRollbackOnly();
            }
        });
    }

    private boolean running(Claim claim, Progress.Ready<?> ready) {
        Node node = claim.node();
        if (!nodes.markRunning(claim, owner, ready.chainId(), ready.upstreams())) {
            return false;
        }
        if (node.status() != NodeStatus.RUNNING) {
            events.publish(node.with(NodeStatus.RUNNING, ready.chainId(), ready.upstreams()), NodeStatus.RUNNING,
                    null);
        }
        return true;
    }

    private boolean failed(Claim claim, String reason) {
        if (!nodes.markFailed(claim, owner, reason)) {
            return false;
        }
        log.warn("Node {} failed: {}", claim.node().id(), reason);
        events.publish(claim.node(), NodeStatus.FAILED, reason);
        return true;
    }

    private boolean deleted(Claim claim) {
        if (!nodes.markDeleted(claim, owner)) {
            return false;
        }
        events.publish(claim.node(), NodeStatus.DELETED, null);
        log.info("Node {} deleted", claim.node().id());
        return true;
    }

    private void loop() {
        long intervalMillis = interval.toMillis();
        while (running) {
            try {
                if (reconcileDue() == BATCH) {
                    continue;
                }
                long pause = nodes.millisUntilNextDue().map(ms -> Math.min(ms, intervalMillis)).orElse(intervalMillis);
                wakeUp.tryAcquire(Math.max(MIN_PAUSE_MILLIS, pause), TimeUnit.MILLISECONDS);
                wakeUp.drainPermits();
            } catch (InterruptedException e) {
                if (!running) {
                    return;
                }
            } catch (RuntimeException e) {
                log.error("Reconciler pass failed", e);
                try {
                    wakeUp.tryAcquire(intervalMillis, TimeUnit.MILLISECONDS);
                } catch (InterruptedException interrupted) {
                    return;
                }
            }
        }
    }

    @Override
    public void start() {
        running = true;
        steps = Executors.newVirtualThreadPerTaskExecutor();
        thread = Thread.ofPlatform().daemon().name("node-reconciler").start(this::loop);
    }

    @Override
    public void stop() {
        running = false;
        wakeUp.release();
        if (thread != null) {
            // No interrupt: the steps in flight finish (each is short) and commit.
            try {
                thread.join(30_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        steps.shutdown();
        try {
            nodes.releaseClaims(owner);
        } catch (RuntimeException e) {
            log.warn("Could not release the reconciler's claims; they expire after {}", lease);
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public int getPhase() {
        // Stops before the drivers (default phase) so no step is in flight when they stop their processes.
        return Integer.MAX_VALUE - 1000;
    }
}
