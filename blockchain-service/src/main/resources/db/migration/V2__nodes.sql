-- Nodes (issue 3). One row per node for its whole life; DELETED rows are kept as history.
-- desired_state is what the tenant asked for, status what the reconciler has achieved so far.
CREATE TABLE nodes (
    id                UUID PRIMARY KEY,
    tenant_id         UUID        NOT NULL,
    name              TEXT        NOT NULL,
    protocol          TEXT        NOT NULL,
    network           TEXT        NOT NULL,
    driver            TEXT        NOT NULL,
    chain_id          BIGINT,
    status            TEXT        NOT NULL,
    status_reason     TEXT,
    desired_state     TEXT        NOT NULL,
    restart_requested BOOLEAN     NOT NULL DEFAULT false,
    port              INTEGER,
    -- newline-separated JSON-RPC URLs; for local nodes filled in by the driver
    upstreams         TEXT        NOT NULL DEFAULT '',
    health            TEXT        NOT NULL DEFAULT 'unknown',
    head_block        BIGINT,
    syncing           BOOLEAN,
    peers             INTEGER,
    latency_ms        DOUBLE PRECISION,
    failed_checks     INTEGER     NOT NULL DEFAULT 0,
    checked_at        TIMESTAMPTZ,
    created_at        TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at        TIMESTAMPTZ NOT NULL DEFAULT now(),
    deleted_at        TIMESTAMPTZ
);
CREATE INDEX nodes_by_tenant ON nodes (tenant_id, created_at DESC, id DESC);
CREATE INDEX nodes_to_reconcile ON nodes (status) WHERE status <> 'DELETED';
-- A port belongs to at most one live node: two concurrent creations cannot both take it.
CREATE UNIQUE INDEX nodes_port_in_use ON nodes (port) WHERE port IS NOT NULL AND status <> 'DELETED';
CREATE SEQUENCE local_chain_id_seq;
