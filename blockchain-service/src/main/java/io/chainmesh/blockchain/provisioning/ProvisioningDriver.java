package io.chainmesh.blockchain.provisioning;

/**
 * How a node's endpoint comes to exist (DESIGN.md "Node provisioning"; the plugin shape follows Hyperledger FireFly's
 * blockchain plugins and their operations). One implementation per way of running nodes, chosen per node by
 * {@link #name()} through {@link ProvisioningDrivers}: {@code local} (anvil processes on this host), {@code external}
 * (endpoints that exist already), and next {@code kubernetes} (a StatefulSet, Service and volume claim in the
 * tenant's namespace).
 *
 * <p>A driver keeps what it needs to remember about a node in its own <em>spec</em> ({@code S}, a record): created by
 * {@link #prepare}, stored with the node as JSON, handed back on every call and stored again as the call returns it.
 * No call waits for a node to come up or go away: each does one step and answers {@link Progress.Pending} (call me
 * again), or how it ended. The reconciler calls the driver outside any database transaction and commits the answer,
 * so a driver may take minutes over a node while holding nothing.
 *
 * <p>Every method but {@link #check} and {@link #prepare} is called by the reconciler only, and must be idempotent
 * and safe to call again after a crash at any point: this service may have been killed half-way through the
 * previous call, before its answer (and the spec in it) was stored.
 *
 * @param <S> the driver's spec: a record Jackson can write and read back
 */
public interface ProvisioningDriver<S> {

    /** The name nodes store in their {@code driver} column. */
    String name();

    /** The spec's class, to read it back from its stored JSON. */
    Class<S> specType();

    /**
     * Checks a creation request before anything is reserved or asked of tenant-service.
     *
     * @throws io.chainmesh.common.problem.ApiException a 400 that names the field
     */
    void check(NodeRequest request);

    /**
     * The new node's spec, and what is known of it before it runs. Called in the creating transaction, after the
     * tenant's quota was checked; what it reserves through {@code reservations} commits with the node.
     *
     * @throws io.chainmesh.common.problem.ApiException when the node cannot be had now (e.g. 503 {@code no_capacity})
     */
    Prepared<S> prepare(NodeRequest request, Reservations reservations);

    /**
     * One step toward the node answering: start or adopt what backs it, or check on what was started. Called until
     * it answers {@link Progress.Ready} or {@link Progress.Failed}, and again every reconcile interval while the node
     * runs, so a node whose backing went away is brought back: answer {@code Ready} cheaply when nothing changed.
     */
    Progress<S> reconcile(NodeRef node, S spec);

    /** One step toward the node being stopped with its data kept, for a restart; {@link #reconcile} follows. */
    Release<S> stop(NodeRef node, S spec);

    /** One step toward the node and everything it holds being gone, for good. */
    Release<S> release(NodeRef node, S spec);

    /**
     * Whether the node's upstreams are URLs the tenant gave, shown back in the API; otherwise they are the platform's
     * own addresses and stay hidden (the tenant reaches the node through the proxy).
     */
    default boolean upstreamsAreTenants() {
        return false;
    }
}
