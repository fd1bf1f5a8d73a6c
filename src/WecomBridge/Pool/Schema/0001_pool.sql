-- The contact pool (docs/pool.md). Every row keeps changed_at, the time of the last event applied to it: an event
-- older than that does not touch the row, so events may come in any order. No foreign keys for the same reason: a
-- relation may arrive before its contact, a membership before its chat.

-- Event ids applied, so that an event delivered twice applies once.
CREATE TABLE pool.applied_events (
    event_id   text PRIMARY KEY,
    applied_at timestamptz NOT NULL DEFAULT now()
);

-- A corp's external contacts. name only when Pool:StoreNames; profile_at: time of the read that set type and name.
CREATE TABLE pool.contacts (
    corp             text COLLATE "C" NOT NULL,
    external_user_id text COLLATE "C" NOT NULL,
    type             smallint,
    union_id         text,
    name             text,
    first_seen_at    timestamptz NOT NULL,
    profile_at       timestamptz,
    PRIMARY KEY (corp, external_user_id)
);
CREATE INDEX contacts_union_id ON pool.contacts (union_id) WHERE union_id IS NOT NULL;

-- A member's relation with a contact (follow_user). state: the contact way's state, i.e. the channel. deleted_by:
-- employee, customer, transfer (null when deleted_at is null). tag_ids: the corp tags this member put on the contact,
-- as of tags_at. remark only when Pool:StoreRemarks.
CREATE TABLE pool.follow_relations (
    corp             text COLLATE "C" NOT NULL,
    external_user_id text COLLATE "C" NOT NULL,
    user_id          text COLLATE "C" NOT NULL,
    added_at         timestamptz,
    add_way          integer,
    state            text,
    remark           text,
    deleted_at       timestamptz,
    deleted_by       text,
    changed_at       timestamptz NOT NULL,
    tag_ids          text[] NOT NULL DEFAULT '{}',
    tags_at          timestamptz,
    PRIMARY KEY (corp, external_user_id, user_id)
);
CREATE INDEX follow_relations_active ON pool.follow_relations (corp, external_user_id) WHERE deleted_at IS NULL;
CREATE INDEX follow_relations_state ON pool.follow_relations (corp, state, added_at) WHERE deleted_at IS NULL;
CREATE INDEX follow_relations_tags ON pool.follow_relations USING gin (tag_ids);

-- Customer group chats: only when they were dismissed (members are in group_members).
CREATE TABLE pool.group_chats (
    corp         text COLLATE "C" NOT NULL,
    chat_id      text COLLATE "C" NOT NULL,
    dismissed_at timestamptz NOT NULL,
    PRIMARY KEY (corp, chat_id)
);

-- Members of customer group chats. member_type 1 corp member, 2 external contact (null: not known yet);
-- join_scene 1 direct, 2 link, 3 QR code; left_at set once the member left or the chat was dismissed.
CREATE TABLE pool.group_members (
    corp        text COLLATE "C" NOT NULL,
    chat_id     text COLLATE "C" NOT NULL,
    member_id   text COLLATE "C" NOT NULL,
    member_type smallint,
    joined_at   timestamptz,
    join_scene  smallint,
    left_at     timestamptz,
    changed_at  timestamptz NOT NULL,
    PRIMARY KEY (corp, chat_id, member_id)
);
CREATE INDEX group_members_member ON pool.group_members (corp, member_id);

-- Official Account followers. scene: the parametric QR code; subscribe_scene: WeChat's ADD_SCENE_…; remark only when
-- Pool:StoreRemarks.
CREATE TABLE pool.followers (
    account         text COLLATE "C" NOT NULL,
    open_id         text COLLATE "C" NOT NULL,
    union_id        text,
    subscribed      boolean NOT NULL,
    subscribed_at   timestamptz,
    unsubscribed_at timestamptz,
    scene           text,
    subscribe_scene text,
    tag_ids         integer[] NOT NULL DEFAULT '{}',
    remark          text,
    first_seen_at   timestamptz NOT NULL,
    changed_at      timestamptz NOT NULL,
    PRIMARY KEY (account, open_id)
);
CREATE INDEX followers_union_id ON pool.followers (union_id) WHERE union_id IS NOT NULL;
