-- Activity, stage and burst guard (docs/pool.md). The outbox: events written in the transaction of the change that
-- caused them (ContactStageChanged, ChannelBurstDetected) and deleted once the broker confirmed them, so that a
-- dispatcher stopping between commit and publish loses none. type: the record's full name; body: its JSON.
CREATE TABLE pool.outbox (
    event_id   text PRIMARY KEY,
    type       text NOT NULL,
    body       text NOT NULL,
    created_at timestamptz NOT NULL
);

-- Adds per corp, channel state and minute (of the events' time), for the burst guard; burst_started_at: the first
-- minute of the burst this minute belongs to (null: not over the limit). Rows older than a day are deleted by the
-- stage pass.
CREATE TABLE pool.channel_adds (
    corp             text COLLATE "C" NOT NULL,
    state            text COLLATE "C" NOT NULL,
    minute           timestamptz NOT NULL,
    adds             integer NOT NULL,
    burst_started_at timestamptz,
    PRIMARY KEY (corp, state, minute)
);
