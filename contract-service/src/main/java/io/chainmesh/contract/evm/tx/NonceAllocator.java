package io.chainmesh.contract.evm.tx;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;

import io.chainmesh.contract.ContractProperties;

/**
 * Assigns nonces per (node, account) from {@code nonce_counters}, each together with the row that uses it. The row
 * lock taken by {@code UPDATE ... RETURNING} serialises allocations of one account across replicas (other accounts
 * are not blocked), and because the counter moves in the same database transaction that inserts the rows using the
 * nonces, neither a failed request nor a crash can leave a gap or hand out a nonce twice. The counter starts from the
 * chain's pending transaction count the first time an account is used on a node.
 *
 * <p>Group commit: one account's allocations are serialised anyway, so instead of one
 * database transaction (and one WAL flush under the row lock) per send, concurrent requests of an account queue here
 * and whoever holds the account's in-process lock allocates for everything queued, up to
 * {@code nonce-batch-size} nonces, in one transaction. Requests wait for the in-process lock without holding a
 * pooled database connection, so a burst on one account cannot starve the pool. If a batch fails as a whole (one
 * member's insert broke a constraint, e.g. a concurrent request with the same Idempotency-Key), nothing of it
 * committed and each member is allocated again on its own, so only the offending request fails.
 */
@Component
class NonceAllocator {

    /**
     * Persists what uses the nonce; runs inside the allocating database transaction and may run more than once
     * (after a rolled-back batch), so it must not have effects outside that transaction.
     */
    @FunctionalInterface
    interface NonceUse<T> {
        T persist(long nonce);
    }

    private record Account(UUID nodeId, String address) {
    }

    private static final class Queued<T> {
        final NonceUse<T> use;
        final LongSupplier chainPendingCount;
        volatile boolean done;
        T result;
        RuntimeException failure;

        Queued(NonceUse<T> use, LongSupplier chainPendingCount) {
            this.use = use;
            this.chainPendingCount = chainPendingCount;
        }

        void persist(long nonce) {
            result = use.persist(nonce);
        }
    }

    private static final class Lane {
        final ReentrantLock lock = new ReentrantLock();
        final Queue<Queued<?>> waiting = new ConcurrentLinkedQueue<>();
    }

    /** An account idle this long loses its lane; the next allocation makes a new one. */
    private static final Duration LANE_IDLE = Duration.ofMinutes(10);
    private static final int MAX_LANES = 100_000;

    private final JdbcClient jdbc;
    private final TransactionTemplate tx;
    private final int batchSize;
    private final Cache<Account, Lane> lanes;

    NonceAllocator(JdbcClient jdbc, TransactionTemplate tx, ContractProperties properties, Ticker ticker) {
        this.jdbc = jdbc;
        this.tx = tx;
        this.batchSize = properties.transactions().nonceBatchSize();
        // Dropping a lane never breaks nonce order, which the counter's row lock keeps; it only ends group commit
        // with whoever still holds the old lane.
        this.lanes = Caffeine.newBuilder().ticker(ticker).expireAfterAccess(LANE_IDLE).maximumSize(MAX_LANES).build();
    }

    /**
     * Allocates the account's next nonce and runs {@code use} with it in the transaction that commits both; returns
     * what {@code use} returned, or throws what it (or the database) threw.
     */
    <T> T allocate(UUID nodeId, String address, LongSupplier chainPendingCount, NonceUse<T> use) {
        Lane lane = lanes.get(new Account(nodeId, address.toLowerCase(Locale.ROOT)), a -> new Lane());
        Queued<T> mine = new Queued<>(use, chainPendingCount);
        lane.waiting.add(mine);
        lane.lock.lock();
        try {
            // Whoever holds the lock allocates for everyone queued; ours may have been done by an earlier holder.
            while (!mine.done) {
                List<Queued<?>> batch = new ArrayList<>();
                Queued<?> next;
                while (batch.size() < batchSize && (next = lane.waiting.poll()) != null) {
                    batch.add(next);
                }
                allocateBatch(nodeId, address, batch);
            }
        } finally {
            lane.lock.unlock();
        }
        if (mine.failure != null) {
            throw mine.failure;
        }
        return mine.result;
    }

    private void allocateBatch(UUID nodeId, String address, List<Queued<?>> batch) {
        try {
            tx.executeWithoutResult(status -> {
                long first = reserve(nodeId, address, batch.size(), batch.getFirst().chainPendingCount);
                for (int i = 0; i < batch.size(); i++) {
                    batch.get(i).persist(first + i);
                }
            });
            batch.forEach(q -> q.done = true);
        } catch (RuntimeException e) {
            if (batch.size() == 1) {
                Queued<?> only = batch.getFirst();
                only.result = null;
                only.failure = e;
                only.done = true;
                return;
            }
            // Nothing of the batch committed: allocate each member alone so that only the failing one fails.
            for (Queued<?> q : batch) {
                allocateBatch(nodeId, address, List.of(q));
            }
        } finally {
            // Whatever escaped (an Error), no member may be left waiting for an allocation nobody will make.
            for (Queued<?> q : batch) {
                if (!q.done) {
                    q.result = null;
                    q.failure = new IllegalStateException("nonce allocation of " + address + " on " + nodeId + " was aborted");
                    q.done = true;
                }
            }
        }
    }

    /** How many allocations of the account are queued for its lock right now (observability; tests line up batches). */
    int waiting(UUID nodeId, String address) {
        Lane lane = lanes.getIfPresent(new Account(nodeId, address.toLowerCase(Locale.ROOT)));
        return lane == null ? 0 : lane.waiting.size();
    }

    /** Moves the counter forward by {@code count} and returns the first of the nonces reserved. */
    private long reserve(UUID nodeId, String address, int count, LongSupplier chainPendingCount) {
        Long first = advance(nodeId, address, count);
        if (first != null) {
            return first;
        }
        jdbc.sql("INSERT INTO nonce_counters (node_id, address, next_nonce) VALUES (:node, :address, :start) ON CONFLICT DO NOTHING")
                .param("node", nodeId).param("address", address.toLowerCase(Locale.ROOT))
                .param("start", chainPendingCount.getAsLong()).update();
        first = advance(nodeId, address, count);
        if (first == null) {
            throw new IllegalStateException("nonce counter for " + address + " on " + nodeId + " vanished");
        }
        return first;
    }

    /** Moves the counter forward to at least {@code chainCount} (someone else used the key); never backwards. */
    void catchUp(UUID nodeId, String address, long chainCount) {
        jdbc.sql("UPDATE nonce_counters SET next_nonce = GREATEST(next_nonce, :count) WHERE node_id = :node AND address = :address")
                .param("count", chainCount).param("node", nodeId).param("address", address.toLowerCase(Locale.ROOT)).update();
    }

    private Long advance(UUID nodeId, String address, int count) {
        return jdbc.sql("""
                UPDATE nonce_counters SET next_nonce = next_nonce + :count
                WHERE node_id = :node AND address = :address RETURNING next_nonce - :count""")
                .param("count", count).param("node", nodeId).param("address", address.toLowerCase(Locale.ROOT))
                .query(Long.class).optional().orElse(null);
    }
}
