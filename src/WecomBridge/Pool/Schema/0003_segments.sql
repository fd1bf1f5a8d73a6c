-- Saved segments (docs/pool.md, "Segments"): a named filter per corp, kept as given (relative times stay relative) and
-- run whenever the segment is counted, read or exported. json, not jsonb: the filter reads back as it was written.
CREATE TABLE pool.segments (
    corp        text COLLATE "C" NOT NULL,
    id          uuid NOT NULL,
    name        text NOT NULL,
    description text,
    filter      json NOT NULL,
    created_at  timestamptz NOT NULL,
    updated_at  timestamptz NOT NULL,
    PRIMARY KEY (corp, id)
);

-- Segment filters test a contact's relations by member, its flag and its group chats: indexes for those lookups (the
-- stage, last-interaction, channel-state and tag ones exist already).
CREATE INDEX follow_relations_user ON pool.follow_relations (corp, user_id, external_user_id) WHERE deleted_at IS NULL;
CREATE INDEX contacts_burst_flagged ON pool.contacts (corp, external_user_id) WHERE burst_flagged_at IS NOT NULL;
CREATE INDEX group_members_current ON pool.group_members (corp, member_id, chat_id) WHERE left_at IS NULL;
CREATE INDEX followers_subscribed_union ON pool.followers (union_id, account) WHERE subscribed AND union_id IS NOT NULL;
