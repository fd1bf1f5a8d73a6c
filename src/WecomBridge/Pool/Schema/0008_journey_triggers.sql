-- The corp tags a contact read adds, per event, from before the pool applies the read until the journeys it triggers
-- have enrolled and exited (docs/journeys.md, "What enrols a contact"): a redelivered read, which finds the pool
-- already showing its tags, finishes what a failure cut short. Rows of events that never came back stay (a few bytes each).
CREATE TABLE journeys.pending_tags (
    event_id   text COLLATE "C" PRIMARY KEY,
    tag_ids    text[] NOT NULL,
    created_at timestamptz NOT NULL
);
