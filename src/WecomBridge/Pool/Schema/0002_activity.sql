-- Activity, lifecycle stage and the channel burst guard (docs/pool.md). last_interaction_at: the time of the newest
-- interaction seen or reported (last_interaction_kind says which); stage: new, active, dormant or lost, as of
-- stage_changed_at; burst_flagged_at: set when the contact was added through a channel during a burst of adds.
ALTER TABLE pool.contacts
    ADD COLUMN last_interaction_at   timestamptz,
    ADD COLUMN last_interaction_kind text,
    ADD COLUMN stage                 text NOT NULL DEFAULT 'new',
    ADD COLUMN stage_changed_at      timestamptz,
    ADD COLUMN burst_flagged_at      timestamptz;
CREATE INDEX contacts_stage ON pool.contacts (corp, stage);
CREATE INDEX contacts_last_interaction ON pool.contacts (corp, last_interaction_at);

-- An Official Account follower's newest interaction (messages, menu clicks, scans).
ALTER TABLE pool.followers
    ADD COLUMN last_interaction_at   timestamptz,
    ADD COLUMN last_interaction_kind text;
