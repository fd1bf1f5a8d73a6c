-- The retention pass deletes journeys.pending_tags rows older than Journeys:PendingTagLifetime, oldest first, in
-- batches (docs/journeys.md, "What enrols a contact"): each batch finds its rows through this index, not a scan.
CREATE INDEX pending_tags_created_at ON journeys.pending_tags (created_at);
