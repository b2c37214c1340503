-- Confirmation depth chosen per transaction (the send/deploy request's "confirmations"). NULL on rows written before
-- the column existed: those keep following chainmesh.contract.transactions.confirmations.
ALTER TABLE transactions ADD COLUMN confirmations INT;
