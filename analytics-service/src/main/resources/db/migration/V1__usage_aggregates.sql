-- Event ids already folded into the aggregates. Delivery is at-least-once; inserting the id in the
-- same transaction as the aggregate update makes a redelivered event a no-op.
CREATE TABLE processed_events (
    event_id     TEXT PRIMARY KEY,
    processed_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX processed_events_processed_at ON processed_events (processed_at);

-- One row per tenant per minute (UTC); hour and day views are sums over these rows.
CREATE TABLE usage_minute (
    tenant_id      UUID             NOT NULL,
    minute         TIMESTAMPTZ      NOT NULL,
    requests       BIGINT           NOT NULL DEFAULT 0,
    client_errors  BIGINT           NOT NULL DEFAULT 0,
    server_errors  BIGINT           NOT NULL DEFAULT 0,
    compute_units  BIGINT           NOT NULL DEFAULT 0,
    request_bytes  BIGINT           NOT NULL DEFAULT 0,
    response_bytes BIGINT           NOT NULL DEFAULT 0,
    latency_ms_sum DOUBLE PRECISION NOT NULL DEFAULT 0,
    latency_ms_max DOUBLE PRECISION NOT NULL DEFAULT 0,
    PRIMARY KEY (tenant_id, minute)
);
