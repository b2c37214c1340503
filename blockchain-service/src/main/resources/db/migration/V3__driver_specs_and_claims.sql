-- Each driver keeps what it knows about a node in its own spec (JSON of the driver's record), and the reconciler
-- claims a node for one step at a time instead of holding its row lock while a driver works.
ALTER TABLE nodes
    ADD COLUMN driver_spec   JSONB       NOT NULL DEFAULT '{}'::jsonb,
    -- bumped by every change of what is wanted or achieved; a reconciler step commits only if it is unchanged
    ADD COLUMN version       BIGINT      NOT NULL DEFAULT 0,
    -- when the reconciler should look at the node next
    ADD COLUMN due_at        TIMESTAMPTZ NOT NULL DEFAULT now(),
    -- the reconciler instance working on the node, until claimed_until (after that anyone may take it over)
    ADD COLUMN claimed_by    TEXT,
    ADD COLUMN claimed_until TIMESTAMPTZ;

-- The local driver's port and chain id, and the external driver's URLs (with the chain id they were checked to
-- answer, for running nodes), move into their specs.
UPDATE nodes SET driver_spec = jsonb_build_object('port', port, 'chainId', chain_id)
WHERE driver = 'local' AND port IS NOT NULL;
UPDATE nodes SET driver_spec = jsonb_build_object(
        'upstreams', to_jsonb(string_to_array(upstreams, E'\n')),
        'chainId', CASE WHEN status = 'RUNNING' THEN chain_id END)
WHERE driver = 'external';

DROP INDEX nodes_port_in_use;
ALTER TABLE nodes DROP COLUMN port;

CREATE INDEX nodes_due ON nodes (due_at) WHERE status IN ('PROVISIONING', 'RUNNING', 'DELETING');
