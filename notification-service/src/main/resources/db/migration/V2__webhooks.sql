-- Webhook endpoints, the events already turned into deliveries, deliveries and their attempts (issue 5).

CREATE TABLE webhook_endpoints (
    id                         UUID PRIMARY KEY,
    seq                        BIGSERIAL NOT NULL UNIQUE,          -- keyset pagination
    tenant_id                  UUID NOT NULL,
    url                        TEXT NOT NULL,
    description                TEXT NOT NULL DEFAULT '',
    event_types                TEXT[] NOT NULL DEFAULT '{}',       -- patterns; empty = every type
    enabled                    BOOLEAN NOT NULL DEFAULT true,
    disabled_reason            TEXT,                               -- gone | failing; NULL when the tenant disabled it
    disabled_at                TIMESTAMPTZ,
    secret                     TEXT NOT NULL,                      -- whsec_...; the HMAC needs the key itself
    previous_secret            TEXT,                               -- still signs until previous_secret_expires_at
    previous_secret_expires_at TIMESTAMPTZ,
    failing_since              TIMESTAMPTZ,                        -- first failure since the last success
    created_at                 TIMESTAMPTZ NOT NULL,
    updated_at                 TIMESTAMPTZ NOT NULL
);
CREATE INDEX webhook_endpoints_by_tenant ON webhook_endpoints (tenant_id, seq);

-- An event id here means its deliveries were created in the same transaction: a redelivered stream entry
-- finds it and creates nothing.
CREATE TABLE processed_events (
    event_id     TEXT PRIMARY KEY,
    stream       TEXT NOT NULL,
    processed_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX processed_events_age ON processed_events (processed_at);

CREATE TABLE deliveries (
    id               UUID PRIMARY KEY,
    seq              BIGSERIAL NOT NULL UNIQUE,
    tenant_id        UUID NOT NULL,
    endpoint_id      UUID NOT NULL REFERENCES webhook_endpoints (id) ON DELETE CASCADE,
    message_id       TEXT NOT NULL,                  -- the webhook-id header: the event id, stable across attempts
    event_type       TEXT NOT NULL,
    payload          TEXT NOT NULL,                  -- the exact body every attempt signs and sends
    status           TEXT NOT NULL,                  -- pending | succeeded | failed
    attempts         INT NOT NULL DEFAULT 0,         -- attempts started (a claim counts one)
    schedule_step    INT NOT NULL DEFAULT 0,         -- position in the retry schedule; a replay restarts it
    next_attempt_at  TIMESTAMPTZ,                    -- due time; while an attempt runs, the end of its lease
    last_status_code INT,
    last_error       TEXT,
    created_at       TIMESTAMPTZ NOT NULL,
    updated_at       TIMESTAMPTZ NOT NULL,
    completed_at     TIMESTAMPTZ,
    UNIQUE (endpoint_id, message_id)
);
CREATE INDEX deliveries_due ON deliveries (next_attempt_at) WHERE status = 'pending';
CREATE INDEX deliveries_by_endpoint ON deliveries (tenant_id, endpoint_id, seq DESC);

CREATE TABLE delivery_attempts (
    id            BIGSERIAL PRIMARY KEY,
    delivery_id   UUID NOT NULL REFERENCES deliveries (id) ON DELETE CASCADE,
    tenant_id     UUID NOT NULL,
    attempt       INT NOT NULL,
    attempted_at  TIMESTAMPTZ NOT NULL,
    status_code   INT,                               -- NULL when no HTTP response (refused, timeout, reset)
    latency_ms    INT NOT NULL,
    response_body TEXT,                              -- truncated
    error         TEXT
);
CREATE INDEX delivery_attempts_by_delivery ON delivery_attempts (delivery_id, id);
