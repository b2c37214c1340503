-- Transactional outbox (platform-common io.chainmesh.common.events.Outbox): events are written here in the
-- same transaction as the state change and relayed to their Redis stream by OutboxRelay.
CREATE TABLE outbox (
    seq          BIGSERIAL PRIMARY KEY,
    event_id     TEXT        NOT NULL UNIQUE,
    stream       TEXT        NOT NULL,
    envelope     TEXT        NOT NULL,
    created_at   TIMESTAMPTZ NOT NULL DEFAULT now(),
    published_at TIMESTAMPTZ
);
CREATE INDEX outbox_unpublished ON outbox (seq) WHERE published_at IS NULL;
