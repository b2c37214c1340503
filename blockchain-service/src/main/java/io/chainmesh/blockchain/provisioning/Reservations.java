package io.chainmesh.blockchain.provisioning;

import java.util.List;

/**
 * What a driver may ask of the node store while it prepares a node, inside the transaction that creates it, to hand
 * out host resources (ports, chain ids) that no two nodes may share, on every instance of this service at once.
 */
public interface Reservations {

    /** Waits for, then holds until the creating transaction ends, the lock called {@code name}. */
    void lock(String name);

    /** The specs of the driver's nodes that are not deleted; take {@link #lock} first to keep them current. */
    <S> List<S> liveSpecs(ProvisioningDriver<S> driver);

    /** The next number of the named database sequence: never handed out twice, not even after a rollback. */
    long nextValue(String sequence);
}
