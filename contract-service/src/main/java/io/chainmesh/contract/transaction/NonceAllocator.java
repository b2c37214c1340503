package io.chainmesh.contract.transaction;

import java.util.UUID;
import java.util.function.LongSupplier;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Assigns nonces per (node, account) from {@code nonce_counters}. Must run inside the transaction that inserts
 * the transaction row: the row lock taken by {@code UPDATE ... RETURNING} serialises concurrent senders of one
 * account (other accounts are not blocked), and because the increment commits or rolls back together with the
 * transaction row, neither a failed request nor a crash can leave a gap or hand out a nonce twice. The counter
 * starts from the chain's pending transaction count the first time an account is used on a node.
 */
@Component
class NonceAllocator {

    private final JdbcClient jdbc;

    NonceAllocator(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    long allocate(UUID nodeId, String address, LongSupplier chainPendingCount) {
        Long nonce = next(nodeId, address);
        if (nonce != null) {
            return nonce;
        }
        jdbc.sql("INSERT INTO nonce_counters (node_id, address, next_nonce) VALUES (:node, :address, :start) ON CONFLICT DO NOTHING")
                .param("node", nodeId).param("address", address.toLowerCase()).param("start", chainPendingCount.getAsLong()).update();
        nonce = next(nodeId, address);
        if (nonce == null) {
            throw new IllegalStateException("nonce counter for " + address + " on " + nodeId + " vanished");
        }
        return nonce;
    }

    /** Moves the counter forward to at least {@code chainCount} (someone else used the key); never backwards. */
    void catchUp(UUID nodeId, String address, long chainCount) {
        jdbc.sql("UPDATE nonce_counters SET next_nonce = GREATEST(next_nonce, :count) WHERE node_id = :node AND address = :address")
                .param("count", chainCount).param("node", nodeId).param("address", address.toLowerCase()).update();
    }

    private Long next(UUID nodeId, String address) {
        return jdbc.sql("""
                UPDATE nonce_counters SET next_nonce = next_nonce + 1
                WHERE node_id = :node AND address = :address RETURNING next_nonce - 1""")
                .param("node", nodeId).param("address", address.toLowerCase()).query(Long.class).optional().orElse(null);
    }
}
