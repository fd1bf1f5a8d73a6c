-- The corp tags a contact read adds, per event, from before the pool applies the read until the journeys it triggers
-- have enrolled and exited (docs/journeys.md, "What enrols a contact"): a redelivered read, which finds the pool
-- already showing its tags, finishes what a failure cut short. Rows of events that never came back stay (a few bytes each).
CREATE TABLE journeys.pending_tags (
    event_id   text COLLATE "C" PRIMARY KEY,
    tag_ids    text[] NOT NULL,
    created_at timestamptz NOT NULL
);

-- The W3C traceparent of what enrolled the contact (the pool event's, the CRM's request's): each step runs under it,
-- so one contact's path from the callback to the send is one trace (docs/tracing.md). Null: enrolled outside a trace.
ALTER TABLE journeys.enrolments ADD COLUMN trace_parent text;
