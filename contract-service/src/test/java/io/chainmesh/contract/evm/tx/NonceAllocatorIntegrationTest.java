package io.chainmesh.contract.evm.tx;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.BooleanSupplier;
import java.util.stream.LongStream;

import javax.sql.DataSource;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

import io.chainmesh.contract.ContractServiceTestBase;

/**
 * Group commit of nonce allocation against the real PostgreSQL: concurrent allocations of one account that
 * queued while the account's row was locked are committed in one database transaction with contiguous nonces, and a
 * batch with a failing member is redone member by member so that only that member fails and no nonce is skipped.
 *
 * <p>To line a batch up deterministically, the test holds the account's {@code nonce_counters} row lock on its own
 * connection: the first allocation then waits in PostgreSQL while holding the account's in-process lock, and the
 * others queue behind it until the test lets go.
 */
class NonceAllocatorIntegrationTest extends ContractServiceTestBase {

    private static final int QUEUED = 19;

    @Autowired
    NonceAllocator nonces;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    DataSource dataSource;

    /** What one allocation saw: its nonce and the database transaction it ran in. */
    private record Allocated(long nonce, long transactionId) {
    }

    @Test
    void allocationsQueuedBehindTheAccountCommitTogetherWithContiguousNonces() throws Exception {
        UUID node = UUID.randomUUID();
        String address = "0x" + UUID.randomUUID().toString().replace("-", "").substring(0, 32) + "00000000";
        assertThat(nonces.<Long>allocate(node, address, () -> 7, nonce -> nonce)).isEqualTo(7);

        List<Future<Allocated>> queued = new ArrayList<>();
        Future<Allocated> first;
        try (ExecutorService senders = Executors.newVirtualThreadPerTaskExecutor()) {
            try (Connection lock = lockCounterRow(node, address)) {
                first = senders.submit(() -> allocate(node, address, false));
                awaitCondition(this::anAllocationWaitsForTheRowLock);
                for (int i = 0; i < QUEUED; i++) {
                    queued.add(senders.submit(() -> allocate(node, address, false)));
                }
                awaitCondition(() -> nonces.waiting(node, address) == QUEUED);
                lock.rollback();
            }
        }

        assertThat(first.get().nonce()).isEqualTo(8);
        List<Allocated> batch = new ArrayList<>();
        for (Future<Allocated> f : queued) {
            batch.add(f.get());
        }
        assertThat(batch).extracting(Allocated::nonce)
                .containsExactlyInAnyOrderElementsOf(LongStream.rangeClosed(9, 8 + QUEUED).boxed().toList());
        assertThat(new HashSet<>(batch.stream().map(Allocated::transactionId).toList()))
                .as("all queued allocations committed in one database transaction").hasSize(1)
                .doesNotContain(first.get().transactionId());
        assertThat(nextNonce(node, address)).isEqualTo(9 + QUEUED);
    }

    @Test
    void aBatchWithAFailingMemberIsRedoneOneByOneAndOnlyThatMemberFailsWithoutAGap() throws Exception {
        UUID node = UUID.randomUUID();
        String address = "0x" + UUID.randomUUID().toString().replace("-", "").substring(0, 32) + "00000000";
        assertThat(nonces.<Long>allocate(node, address, () -> 0, nonce -> nonce)).isZero();

        List<Future<Allocated>> queued = new ArrayList<>();
        Future<Allocated> first;
        Future<Allocated> failing;
        try (ExecutorService senders = Executors.newVirtualThreadPerTaskExecutor()) {
            try (Connection lock = lockCounterRow(node, address)) {
                first = senders.submit(() -> allocate(node, address, false));
                awaitCondition(this::anAllocationWaitsForTheRowLock);
                for (int i = 0; i < QUEUED / 2; i++) {
                    queued.add(senders.submit(() -> allocate(node, address, false)));
                }
                awaitCondition(() -> nonces.waiting(node, address) == QUEUED / 2);
                failing = senders.submit(() -> allocate(node, address, true));
                awaitCondition(() -> nonces.waiting(node, address) == QUEUED / 2 + 1);
                for (int i = 0; i < QUEUED / 2; i++) {
                    queued.add(senders.submit(() -> allocate(node, address, false)));
                }
                awaitCondition(() -> nonces.waiting(node, address) == 2 * (QUEUED / 2) + 1);
                lock.rollback();
            }
        }

        assertThat(failing).failsWithin(Duration.ZERO).withThrowableOfType(ExecutionException.class)
                .havingCause().isInstanceOf(IllegalStateException.class).withMessage("this member's row cannot be stored");
        List<Allocated> others = new ArrayList<>();
        for (Future<Allocated> f : queued) {
            others.add(f.get());
        }
        // Nonce 1 went to the allocation that waited for the row lock; the failing member used none.
        int good = 2 * (QUEUED / 2);
        assertThat(first.get().nonce()).isEqualTo(1);
        assertThat(others).extracting(Allocated::nonce)
                .containsExactlyInAnyOrderElementsOf(LongStream.rangeClosed(2, 1 + good).boxed().toList());
        assertThat(new HashSet<>(others.stream().map(Allocated::transactionId).toList()))
                .as("redone one database transaction per member").hasSize(good);
        assertThat(nextNonce(node, address)).isEqualTo(2 + good);
    }

    private Allocated allocate(UUID node, String address, boolean fail) {
        return nonces.allocate(node, address, () -> {
            throw new AssertionError("the counter exists");
        }, nonce -> {
            long transactionId = jdbc.sql("SELECT txid_current()").query(Long.class).single();
            if (fail) {
                throw new IllegalStateException("this member's row cannot be stored");
            }
            return new Allocated(nonce, transactionId);
        });
    }

    /** Holds the account's counter row lock on a connection of its own until that connection rolls back. */
    private Connection lockCounterRow(UUID node, String address) throws Exception {
        Connection connection = dataSource.getConnection();
        connection.setAutoCommit(false);
        try (PreparedStatement lock = connection.prepareStatement(
                "SELECT next_nonce FROM nonce_counters WHERE node_id = ? AND address = ? FOR UPDATE")) {
            lock.setObject(1, node);
            lock.setString(2, address.toLowerCase());
            lock.executeQuery().close();
        }
        return connection;
    }

    private boolean anAllocationWaitsForTheRowLock() {
        return jdbc.sql("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()"
                        + " AND wait_event_type = 'Lock' AND query LIKE '%UPDATE nonce_counters SET next_nonce = next_nonce +%'")
                .query(Long.class).single() > 0;
    }

    private long nextNonce(UUID node, String address) {
        return jdbc.sql("SELECT next_nonce FROM nonce_counters WHERE node_id = :node AND address = :address")
                .param("node", node).param("address", address.toLowerCase()).query(Long.class).single();
    }

    private static void awaitCondition(BooleanSupplier condition) {
        Awaitility.await().atMost(Duration.ofSeconds(20)).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(10)).until(condition::getAsBoolean);
    }
}
