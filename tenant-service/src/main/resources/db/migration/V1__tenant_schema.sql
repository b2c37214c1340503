-- Plan catalogue: rows are the source of truth for limits; the gateway learns them through
-- /internal/api-keys/verify and /internal/tenants/{id}/context.
CREATE TABLE plans (
  id                     TEXT PRIMARY KEY,
  name                   TEXT    NOT NULL,
  requests_per_second    INTEGER NOT NULL CHECK (requests_per_second > 0),
  burst                  INTEGER NOT NULL CHECK (burst >= requests_per_second),
  monthly_compute_units  BIGINT  NOT NULL CHECK (monthly_compute_units > 0),
  max_nodes              INTEGER NOT NULL CHECK (max_nodes >= 0),
  max_webhooks           INTEGER NOT NULL CHECK (max_webhooks >= 0),
  price_cents_per_month  BIGINT  NOT NULL CHECK (price_cents_per_month >= 0),
  sort_order             INTEGER NOT NULL
);

INSERT INTO plans (id, name, requests_per_second, burst, monthly_compute_units, max_nodes, max_webhooks,
                   price_cents_per_month, sort_order) VALUES
  ('free',       'Free',       10,   20,   3000000,    1,  2,   0,      1),
  ('developer',  'Developer',  50,   100,  50000000,   3,  10,  4900,   2),
  ('business',   'Business',   200,  400,  300000000,  10, 50,  29900,  3),
  ('enterprise', 'Enterprise', 25000, 50000, 2000000000, 50, 500, 199900, 4);

CREATE TABLE tenants (
  id          UUID PRIMARY KEY,
  name        TEXT        NOT NULL,
  plan_id     TEXT        NOT NULL REFERENCES plans (id),
  status      TEXT        NOT NULL CHECK (status IN ('active', 'suspended')),
  -- the operators' own tenant; exactly one, never suspended
  platform    BOOLEAN     NOT NULL DEFAULT false,
  created_at  TIMESTAMPTZ NOT NULL,
  updated_at  TIMESTAMPTZ NOT NULL
);
CREATE UNIQUE INDEX tenants_one_platform ON tenants (platform) WHERE platform;
CREATE INDEX tenants_by_created ON tenants (created_at DESC, id DESC);

CREATE TABLE users (
  id             UUID PRIMARY KEY,
  tenant_id      UUID        NOT NULL REFERENCES tenants (id),
  email          TEXT        NOT NULL,
  password_hash  TEXT        NOT NULL,
  role           TEXT        NOT NULL CHECK (role IN ('owner', 'operator')),
  created_at     TIMESTAMPTZ NOT NULL
);
-- emails are stored lower-cased; the unique index is what makes a concurrent duplicate signup a 409
CREATE UNIQUE INDEX users_email ON users (email);
CREATE INDEX users_by_tenant ON users (tenant_id);

CREATE TABLE api_keys (
  id            UUID PRIMARY KEY,
  tenant_id     UUID        NOT NULL REFERENCES tenants (id),
  name          TEXT        NOT NULL,
  -- SHA-256 hex of the key (ApiKeyFormat.hash); the plaintext is never stored
  key_hash      TEXT        NOT NULL UNIQUE,
  prefix        TEXT        NOT NULL,
  scopes        TEXT[]      NOT NULL,
  created_at    TIMESTAMPTZ NOT NULL,
  expires_at    TIMESTAMPTZ,
  last_used_at  TIMESTAMPTZ,
  revoked_at    TIMESTAMPTZ
);
CREATE INDEX api_keys_by_tenant ON api_keys (tenant_id, created_at DESC, id DESC);

-- RS256 key pairs for access tokens. Persisted so tokens survive restarts and every replica signs
-- with the same key; retired keys stay in the JWKS until the tokens they signed have expired.
CREATE TABLE signing_keys (
  kid          TEXT PRIMARY KEY,
  private_key  TEXT        NOT NULL,
  public_key   TEXT        NOT NULL,
  created_at   TIMESTAMPTZ NOT NULL,
  retired_at   TIMESTAMPTZ
);

CREATE TABLE outbox (
  seq          BIGSERIAL PRIMARY KEY,
  event_id     TEXT NOT NULL UNIQUE,
  stream       TEXT NOT NULL,
  envelope     TEXT NOT NULL,
  created_at   TIMESTAMPTZ NOT NULL DEFAULT now(),
  published_at TIMESTAMPTZ);
CREATE INDEX outbox_unpublished ON outbox (seq) WHERE published_at IS NULL;
