-- Wallets: private keys only ever sealed (AES-256-GCM under key-encryption key key_id, see EncryptedKeyCustody).
CREATE TABLE wallets (
    id          UUID PRIMARY KEY,
    tenant_id   UUID        NOT NULL,
    name        TEXT,
    address     TEXT        NOT NULL,
    origin      TEXT        NOT NULL,
    key_id      TEXT        NOT NULL,
    sealed_key  BYTEA       NOT NULL,
    created_at  TIMESTAMPTZ NOT NULL
);
CREATE UNIQUE INDEX wallets_tenant_address ON wallets (tenant_id, lower(address));
CREATE INDEX wallets_tenant_page ON wallets (tenant_id, created_at DESC, id DESC);
CREATE INDEX wallets_key_id ON wallets (key_id);

-- Contract definitions: a validated ABI and creation bytecode.
CREATE TABLE contracts (
    id          UUID PRIMARY KEY,
    tenant_id   UUID        NOT NULL,
    name        TEXT        NOT NULL,
    abi         TEXT        NOT NULL,
    bytecode    TEXT,
    format      TEXT        NOT NULL,
    created_at  TIMESTAMPTZ NOT NULL
);
CREATE INDEX contracts_tenant_page ON contracts (tenant_id, created_at DESC, id DESC);

-- A contract at an address on one node: deployed by us (deploy_transaction_id) or registered.
CREATE TABLE instances (
    id                    UUID PRIMARY KEY,
    tenant_id             UUID        NOT NULL,
    contract_id           UUID        NOT NULL REFERENCES contracts (id),
    node_id               UUID        NOT NULL,
    chain_id              BIGINT      NOT NULL,
    name                  TEXT,
    address               TEXT        NOT NULL,
    status                TEXT        NOT NULL,
    deploy_transaction_id UUID,
    created_at            TIMESTAMPTZ NOT NULL,
    updated_at            TIMESTAMPTZ NOT NULL
);
CREATE INDEX instances_tenant_page ON instances (tenant_id, created_at DESC, id DESC);

-- Nonce allocation per (node, account): the row lock on UPDATE ... RETURNING serialises concurrent senders; the
-- allocation commits together with the transaction row, so a crash can neither skip nor reuse a nonce.
CREATE TABLE nonce_counters (
    node_id     UUID   NOT NULL,
    address     TEXT   NOT NULL,
    next_nonce  BIGINT NOT NULL,
    PRIMARY KEY (node_id, address)
);

CREATE TABLE transactions (
    id                     UUID PRIMARY KEY,
    tenant_id              UUID        NOT NULL,
    kind                   TEXT        NOT NULL,
    node_id                UUID        NOT NULL,
    chain_id               BIGINT      NOT NULL,
    wallet_id              UUID        NOT NULL,
    instance_id            UUID,
    contract_id            UUID,
    from_address           TEXT        NOT NULL,
    to_address             TEXT,
    method                 TEXT,
    args                   TEXT,
    data                   TEXT        NOT NULL,
    value                  NUMERIC(78) NOT NULL DEFAULT 0,
    nonce                  BIGINT,
    gas_limit              NUMERIC(78),
    max_fee_per_gas        NUMERIC(78),
    max_priority_fee       NUMERIC(78),
    hash                   TEXT,
    raw                    TEXT,
    status                 TEXT        NOT NULL,
    block_number           BIGINT,
    block_hash             TEXT,
    gas_used               NUMERIC(78),
    contract_address       TEXT,
    revert_reason          TEXT,
    revert                 TEXT,
    idempotency_key        TEXT,
    request_hash           TEXT,
    response               TEXT,
    broadcast_at           TIMESTAMPTZ,
    broadcast_error        TEXT,
    resubmissions          INT         NOT NULL DEFAULT 0,
    created_at             TIMESTAMPTZ NOT NULL,
    updated_at             TIMESTAMPTZ NOT NULL,
    mined_at               TIMESTAMPTZ,
    confirmed_at           TIMESTAMPTZ
);
-- The database itself refuses a second transaction with the same nonce from the same account on the same node.
CREATE UNIQUE INDEX transactions_nonce ON transactions (node_id, lower(from_address), nonce) WHERE nonce IS NOT NULL;
CREATE UNIQUE INDEX transactions_idempotency ON transactions (tenant_id, idempotency_key) WHERE idempotency_key IS NOT NULL;
CREATE INDEX transactions_tenant_page ON transactions (tenant_id, created_at DESC, id DESC);
CREATE INDEX transactions_open ON transactions (node_id, nonce) WHERE status IN ('PENDING', 'MINED');

-- Every signed version of a transaction (the first, fee bumps, a gap filler): any of them may be the one mined.
CREATE TABLE transaction_attempts (
    hash           TEXT PRIMARY KEY,
    transaction_id UUID        NOT NULL REFERENCES transactions (id),
    purpose        TEXT        NOT NULL,
    raw            TEXT        NOT NULL,
    max_fee_per_gas NUMERIC(78) NOT NULL,
    created_at     TIMESTAMPTZ NOT NULL
);
CREATE INDEX transaction_attempts_tx ON transaction_attempts (transaction_id);

CREATE TABLE subscriptions (
    id               UUID PRIMARY KEY,
    tenant_id        UUID        NOT NULL,
    instance_id      UUID        NOT NULL REFERENCES instances (id),
    node_id          UUID        NOT NULL,
    address          TEXT        NOT NULL,
    event_signature  TEXT        NOT NULL,
    topics           TEXT        NOT NULL,
    filters          TEXT,
    confirmations    INT         NOT NULL,
    from_block       BIGINT      NOT NULL,
    -- checkpoint: every block below next_block has been delivered; the hash of next_block - 1 detects reorgs
    next_block       BIGINT      NOT NULL,
    checkpoint_hash  TEXT,
    status           TEXT        NOT NULL,
    last_error       TEXT,
    created_at       TIMESTAMPTZ NOT NULL,
    deleted_at       TIMESTAMPTZ
);
CREATE INDEX subscriptions_tenant_page ON subscriptions (tenant_id, created_at DESC, id DESC);

CREATE TABLE subscription_events (
    seq               BIGSERIAL PRIMARY KEY,
    id                UUID        NOT NULL UNIQUE,
    subscription_id   UUID        NOT NULL REFERENCES subscriptions (id),
    tenant_id         UUID        NOT NULL,
    block_number      BIGINT      NOT NULL,
    block_hash        TEXT        NOT NULL,
    transaction_hash  TEXT        NOT NULL,
    log_index         INT         NOT NULL,
    removed           BOOLEAN     NOT NULL,
    corrected         BOOLEAN     NOT NULL DEFAULT false,
    payload           TEXT        NOT NULL,
    created_at        TIMESTAMPTZ NOT NULL
);
-- Re-reading a range after a restart cannot deliver an event twice.
CREATE UNIQUE INDEX subscription_events_once ON subscription_events (subscription_id, block_hash, log_index, removed);
CREATE INDEX subscription_events_page ON subscription_events (subscription_id, seq);
