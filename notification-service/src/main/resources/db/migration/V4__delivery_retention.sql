-- Delivery log retention (DeliveryLogRetention): finished deliveries are purged oldest first by completion time.
-- Pending ones (retries still due) are never purged; attempts go with their delivery (ON DELETE CASCADE).
CREATE INDEX deliveries_finished_by_age ON deliveries (completed_at) WHERE status <> 'pending';
