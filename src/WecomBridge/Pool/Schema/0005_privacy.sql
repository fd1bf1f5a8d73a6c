-- Privacy and retention (docs/pool.md, "Purge, erasure and pruning").

-- Erasures: a tombstone per erased contact or follower, so that an event older than the erasure, still in flight, does
-- not bring the person back (a newer one does). subject_hash: SHA-256 of "contact|{corp}|{externalUserId}" or
-- "follower|{account}|{openId}" in hex: the ids themselves are not kept. Pruned after Pool:Retention:AppliedEvents.
CREATE TABLE pool.erasures (
    subject_hash text PRIMARY KEY,
    erased_at    timestamptz NOT NULL
);
CREATE INDEX erasures_erased_at ON pool.erasures (erased_at);

-- The retention pass finds old rows without reading every row. applied_events rows come in time order: a BRIN index is
-- small and costs the projection's inserts almost nothing.
CREATE INDEX applied_events_applied_at ON pool.applied_events USING brin (applied_at);
CREATE INDEX follow_relations_deleted ON pool.follow_relations (deleted_at) WHERE deleted_at IS NOT NULL;
CREATE INDEX followers_unsubscribed ON pool.followers (changed_at) WHERE NOT subscribed;
