package io.chainmesh.blockchain.node;

/** Where a node is in its life. FAILED carries a reason and is left alone until the tenant restarts or deletes it. */
public enum NodeStatus {
    PROVISIONING, RUNNING, DELETING, DELETED, FAILED
}
