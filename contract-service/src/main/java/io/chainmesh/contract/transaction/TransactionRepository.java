package io.chainmesh.contract.transaction;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

import io.chainmesh.common.pagination.PageCursor;

@Repository
class TransactionRepository {

    private static final String COLUMNS = """
            id, tenant_id, kind, node_id, chain_id, wallet_id, instance_id, contract_id, from_address, to_address, method,
            args, data, value, nonce, gas_limit, max_fee_per_gas, max_priority_fee, hash, raw, status, block_number,
            block_hash, gas_used, contract_address, revert_reason, revert, idempotency_key, request_hash, response,
            broadcast_at, broadcast_error, resubmissions, created_at, updated_at, mined_at, confirmed_at, confirmations""";

    /** {@link #COLUMNS} without the stored response, which only answers idempotent replays and is the widest column. */
    private static final String TRACKED_COLUMNS = COLUMNS.replace(" response,", " NULL AS response,");

    private final JdbcClient jdbc;

    TransactionRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    void insert(TransactionRecord t) {
        TransactionRecord.Request r = t.request();
        TransactionRecord.Submission s = t.submission();
        TransactionRecord.Outcome o = t.outcome();
        jdbc.sql("INSERT INTO transactions (" + COLUMNS + ") VALUES (:id, :tenant, :kind, :node, :chainId, :wallet, :instance,"
                + " :contract, :from, :to, :method, :args, :data, :value, :nonce, :gasLimit, :maxFee, :maxPriority, :hash, :raw,"
                + " :status, :blockNumber, :blockHash, :gasUsed, :contractAddress, :revertReason, :revert, :idemKey,"
                + " :requestHash, :response, :broadcastAt, :broadcastError, :resubmissions, :createdAt, :updatedAt,"
                + " :minedAt, :confirmedAt, :confirmations)")
                .param("id", r.id()).param("tenant", r.tenantId()).param("kind", r.kind().wireName()).param("node", r.nodeId())
                .param("chainId", r.chainId()).param("wallet", r.walletId()).param("instance", r.instanceId())
                .param("contract", r.contractId()).param("from", r.from()).param("to", r.to())
                .param("method", r.method()).param("args", r.args()).param("data", r.data()).param("value", dec(r.value()))
                .param("nonce", s.nonce()).param("gasLimit", dec(s.gasLimit())).param("maxFee", dec(s.maxFeePerGas()))
                .param("maxPriority", dec(s.maxPriorityFee())).param("hash", s.hash()).param("raw", s.raw())
                .param("status", o.status().name()).param("blockNumber", o.blockNumber()).param("blockHash", o.blockHash())
                .param("gasUsed", dec(o.gasUsed())).param("contractAddress", o.contractAddress())
                .param("revertReason", o.revertReason()).param("revert", o.revert()).param("idemKey", r.idempotencyKey())
                .param("requestHash", r.requestHash()).param("response", r.response()).param("broadcastAt", utc(s.broadcastAt()))
                .param("broadcastError", s.broadcastError()).param("resubmissions", s.resubmissions())
                .param("createdAt", utc(r.createdAt())).param("updatedAt", utc(o.updatedAt()))
                .param("minedAt", utc(o.minedAt())).param("confirmedAt", utc(o.confirmedAt()))
                .param("confirmations", r.confirmations()).update();
    }

    void insertAttempt(TransactionAttempt a) {
        jdbc.sql("""
                INSERT INTO transaction_attempts (hash, transaction_id, purpose, raw, max_fee_per_gas, created_at)
                VALUES (:hash, :tx, :purpose, :raw, :maxFee, now()) ON CONFLICT (hash) DO NOTHING""")
                .param("hash", a.hash()).param("tx", a.transactionId()).param("purpose", a.purpose().wireName()).param("raw", a.raw())
                .param("maxFee", dec(a.maxFeePerGas())).update();
    }

    /** Stores the first signature of an allocated transaction; false when it was already signed. */
    boolean setSignature(UUID id, String hash, String raw, String response) {
        return jdbc.sql("UPDATE transactions SET hash = :hash, raw = :raw, response = COALESCE(:response, response)"
                        + " WHERE id = :id AND raw IS NULL")
                .param("hash", hash).param("raw", raw).param("response", response).param("id", id).update() == 1;
    }

    void setResponse(UUID id, String response) {
        jdbc.sql("UPDATE transactions SET response = :response WHERE id = :id").param("response", response).param("id", id).update();
    }

    Optional<TransactionRecord> find(UUID tenantId, UUID id) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM transactions WHERE tenant_id = :tenant AND id = :id")
                .param("tenant", tenantId).param("id", id).query(TransactionRepository::map).optional();
    }

    Optional<TransactionRecord> findByIdempotencyKey(UUID tenantId, String key) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM transactions WHERE tenant_id = :tenant AND idempotency_key = :key")
                .param("tenant", tenantId).param("key", key).query(TransactionRepository::map).optional();
    }

    List<TransactionRecord> page(UUID tenantId, UUID instanceId, TransactionStatus status, PageCursor after, int limit) {
        StringBuilder sql = new StringBuilder("SELECT " + COLUMNS + " FROM transactions WHERE tenant_id = :tenant");
        if (instanceId != null) {
            sql.append(" AND instance_id = :instance");
        }
        if (status != null) {
            sql.append(" AND status = :status");
        }
        if (after != null) {
            sql.append(" AND (created_at, id) < (:afterAt, :afterId)");
        }
        sql.append(" ORDER BY created_at DESC, id DESC LIMIT :limit");
        JdbcClient.StatementSpec s = jdbc.sql(sql.toString()).param("tenant", tenantId).param("limit", limit + 1);
        if (instanceId != null) {
            s = s.param("instance", instanceId);
        }
        if (status != null) {
            s = s.param("status", status.name());
        }
        if (after != null) {
            s = s.param("afterAt", utc(after.createdAt())).param("afterId", after.id());
        }
        return s.query(TransactionRepository::map).list();
    }

    /**
     * Open transactions across tenants, oldest nonce first per account, without their stored responses. Cross-tenant
     * by design: only the tracker reads it, and every row it acts on carries its tenant id into the RPC call.
     */
    List<TransactionRecord> open(int limit) {
        return jdbc.sql("SELECT " + TRACKED_COLUMNS + " FROM transactions WHERE status IN ('PENDING', 'MINED')"
                        + " ORDER BY node_id, from_address, nonce LIMIT :limit")
                .param("limit", limit).query(TransactionRepository::map).list();
    }

    List<TransactionAttempt> attempts(UUID transactionId) {
        return jdbc.sql("SELECT hash, transaction_id, purpose, raw, max_fee_per_gas FROM transaction_attempts WHERE transaction_id = :tx ORDER BY created_at")
                .param("tx", transactionId)
                .query((rs, i) -> new TransactionAttempt(rs.getString("hash"), rs.getObject("transaction_id", UUID.class),
                        AttemptPurpose.of(rs.getString("purpose")), rs.getString("raw"), big(rs.getBigDecimal("max_fee_per_gas"))))
                .list();
    }

    List<TransactionAttempt> attemptsOf(List<UUID> transactionIds) {
        if (transactionIds.isEmpty()) {
            return List.of();
        }
        return jdbc.sql("SELECT hash, transaction_id, purpose, raw, max_fee_per_gas FROM transaction_attempts"
                        + " WHERE transaction_id IN (:ids) ORDER BY created_at")
                .param("ids", transactionIds)
                .query((rs, i) -> new TransactionAttempt(rs.getString("hash"), rs.getObject("transaction_id", UUID.class),
                        AttemptPurpose.of(rs.getString("purpose")), rs.getString("raw"), big(rs.getBigDecimal("max_fee_per_gas"))))
                .list();
    }

    void markBroadcast(UUID id, Instant at) {
        jdbc.sql("UPDATE transactions SET broadcast_at = :at WHERE id = :id").param("at", utc(at)).param("id", id).update();
    }

    /** Forgets the last broadcast, so the tracker sends the transaction again in its next round. */
    void clearBroadcast(UUID id) {
        jdbc.sql("UPDATE transactions SET broadcast_at = NULL WHERE id = :id").param("id", id).update();
    }

    /** The node refused the transaction outright; it stays PENDING while its nonce is filled by a no-op. */
    void markRejected(UUID id, String error, Instant at) {
        jdbc.sql("UPDATE transactions SET broadcast_error = :error, broadcast_at = :at, updated_at = :at WHERE id = :id")
                .param("error", error).param("at", utc(at)).param("id", id).update();
    }

    void markResubmitted(UUID id, String hash, String raw, BigInteger maxFee, BigInteger maxPriority, Instant at) {
        jdbc.sql("""
                UPDATE transactions SET hash = :hash, raw = :raw, max_fee_per_gas = :maxFee, max_priority_fee = :maxPriority,
                  resubmissions = resubmissions + 1, broadcast_at = :at, updated_at = :at WHERE id = :id""")
                .param("hash", hash).param("raw", raw).param("maxFee", dec(maxFee)).param("maxPriority", dec(maxPriority))
                .param("at", utc(at)).param("id", id).update();
    }

    /**
     * Moves a transaction from {@code from} to {@code to} with its receipt fields; false when another tracker run
     * moved it first (the caller then publishes nothing, so each transition is announced once).
     */
    boolean transition(UUID id, TransactionStatus from, TransactionStatus to, String hash, Long blockNumber, String blockHash,
            BigInteger gasUsed, String contractAddress, String revertReason, String revert, Instant at) {
        return jdbc.sql("""
                UPDATE transactions SET status = :to, hash = COALESCE(:hash, hash), block_number = :blockNumber,
                  block_hash = :blockHash, gas_used = :gasUsed, contract_address = COALESCE(:contractAddress, contract_address),
                  revert_reason = COALESCE(:revertReason, revert_reason), revert = COALESCE(:revert, revert),
                  updated_at = :at,
                  mined_at = CASE WHEN :blockNumber::bigint IS NULL THEN NULL ELSE COALESCE(mined_at, :at) END,
                  confirmed_at = CASE WHEN :to = 'CONFIRMED' THEN :at ELSE confirmed_at END
                WHERE id = :id AND status = :from""")
                .param("to", to.name()).param("hash", hash).param("blockNumber", blockNumber).param("blockHash", blockHash)
                .param("gasUsed", dec(gasUsed)).param("contractAddress", contractAddress).param("revertReason", revertReason)
                .param("revert", revert).param("at", utc(at)).param("id", id).param("from", from.name()).update() == 1;
    }

    static OffsetDateTime utc(Instant i) {
        return i == null ? null : i.atOffset(ZoneOffset.UTC);
    }

    private static BigDecimal dec(BigInteger v) {
        return v == null ? null : new BigDecimal(v);
    }

    private static BigInteger big(BigDecimal v) {
        return v == null ? null : v.toBigIntegerExact();
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
        return t == null ? null : t.toInstant();
    }

    private static Long longOrNull(ResultSet rs, String column) throws SQLException {
        long v = rs.getLong(column);
        return rs.wasNull() ? null : v;
    }

    private static Integer intOrNull(ResultSet rs, String column) throws SQLException {
        int v = rs.getInt(column);
        return rs.wasNull() ? null : v;
    }

    static TransactionRecord map(ResultSet rs, int row) throws SQLException {
        TransactionRecord.Request request = new TransactionRecord.Request(rs.getObject("id", UUID.class),
                rs.getObject("tenant_id", UUID.class), TransactionKind.of(rs.getString("kind")),
                rs.getObject("node_id", UUID.class), rs.getLong("chain_id"), rs.getObject("wallet_id", UUID.class),
                rs.getObject("instance_id", UUID.class), rs.getObject("contract_id", UUID.class),
                rs.getString("from_address"), rs.getString("to_address"), rs.getString("method"), rs.getString("args"),
                rs.getString("data"), big(rs.getBigDecimal("value")), intOrNull(rs, "confirmations"),
                rs.getString("idempotency_key"), rs.getString("request_hash"), rs.getString("response"),
                instant(rs, "created_at"));
        TransactionRecord.Submission submission = new TransactionRecord.Submission(longOrNull(rs, "nonce"),
                big(rs.getBigDecimal("gas_limit")), big(rs.getBigDecimal("max_fee_per_gas")),
                big(rs.getBigDecimal("max_priority_fee")), rs.getString("hash"), rs.getString("raw"),
                instant(rs, "broadcast_at"), rs.getString("broadcast_error"), rs.getInt("resubmissions"));
        TransactionRecord.Outcome outcome = new TransactionRecord.Outcome(TransactionStatus.valueOf(rs.getString("status")),
                longOrNull(rs, "block_number"), rs.getString("block_hash"), big(rs.getBigDecimal("gas_used")),
                rs.getString("contract_address"), rs.getString("revert_reason"), rs.getString("revert"),
                instant(rs, "updated_at"), instant(rs, "mined_at"), instant(rs, "confirmed_at"));
        return new TransactionRecord(request, submission, outcome);
    }
}
