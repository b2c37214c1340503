package io.chainmesh.blockchain.provisioning;

import java.util.List;

import io.chainmesh.blockchain.node.Node;

/**
 * How a node's backing endpoint comes to exist (DESIGN.md "Node provisioning"; the plugin shape follows Hyperledger
 * FireFly's). One implementation per way of running nodes, chosen per node by {@link #name()} through
 * {@link ProvisioningDrivers}: {@code local} (anvil processes on this host), {@code external} (endpoints that exist
 * already), and next {@code kubernetes} (a StatefulSet, Service and volume claim in the tenant's namespace).
 *
 * <p>The {@link NodeReconciler} is the only caller. Every method must be idempotent and safe to call again after a
 * crash at any point: the reconciler may repeat it after this service was killed half-way through.
 */
public interface ProvisioningDriver {

    /** The name nodes store in their {@code driver} column. */
    String name();

    /**
     * Makes sure the node's endpoint is up and answering, adopting what already runs (e.g. a process that survived
     * a restart of this service) instead of starting a second one.
     *
     * @return the chain id and the upstream URLs the proxy should use, in failover order
     * @throws ProvisioningException when it cannot be brought up; the message becomes the node's FAILED reason
     */
    Provisioned ensureRunning(Node node) throws ProvisioningException;

    /** Cheap liveness check the reconciler runs on every pass for RUNNING nodes (no network round trip needed). */
    boolean isAlive(Node node);

    /** Stops the node but keeps its data, for a restart. */
    void stop(Node node);

    /** Stops the node and releases everything it holds. Nothing is left behind. */
    void destroy(Node node);

    /** What {@link #ensureRunning} achieved. */
    record Provisioned(long chainId, List<String> upstreams) {
    }

    /** A node could not be provisioned; the message is shown to the tenant as the FAILED reason. */
    class ProvisioningException extends Exception {
        public ProvisioningException(String message) {
            super(message);
        }

        public ProvisioningException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
