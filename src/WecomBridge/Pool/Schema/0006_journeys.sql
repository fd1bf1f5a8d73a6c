-- Running journeys (docs/journeys.md, "Running journeys"), in a schema of their own.
CREATE SCHEMA IF NOT EXISTS journeys;

-- One row per enrolment of a contact in a journey version. state: running, completed or exited (exit_reason).
-- source: what enrolled it (the event id, or the CRM's request id): one enrolment per contact and source, so a redelivered event
-- or a repeated call enrols once. At most one running enrolment per journey and contact.
CREATE TABLE journeys.enrolments (
    id               uuid PRIMARY KEY,
    corp             text COLLATE "C" NOT NULL,
    journey_id       text COLLATE "C" NOT NULL,
    version          integer NOT NULL,
    external_user_id text COLLATE "C" NOT NULL,
    follow_user      text COLLATE "C",
    source           text COLLATE "C" NOT NULL,
    enrolled_at      timestamptz NOT NULL,
    state            text NOT NULL,
    exit_reason      text,
    ended_at         timestamptz
);
CREATE UNIQUE INDEX enrolments_running ON journeys.enrolments (corp, journey_id, external_user_id) WHERE state = 'running';
CREATE UNIQUE INDEX enrolments_source ON journeys.enrolments (corp, journey_id, external_user_id, source);
CREATE INDEX enrolments_contact ON journeys.enrolments (corp, external_user_id);
CREATE INDEX enrolments_journey_state ON journeys.enrolments (corp, journey_id, state);

-- The durable timer of a running enrolment: its next step (step_index) and when a runner may take it (due_at). A
-- runner claims due rows (FOR UPDATE SKIP LOCKED) and moves due_at to the end of its lease (lease_owner): when the
-- runner dies, the row is simply due again at that time, so one index on due_at serves the claim and the takeover.
-- step_id: the step's id in the enrolment's version. step_due_at: when the step itself fell due (kept through leases and deferrals). waiting_for: an event kind a wait
-- step is waiting for (its arrival makes the row due now). attempts: claims of this step that did not finish it.
CREATE TABLE journeys.timers (
    enrolment_id uuid PRIMARY KEY REFERENCES journeys.enrolments (id) ON DELETE CASCADE,
    step_index   integer NOT NULL,
    step_id      text COLLATE "C" NOT NULL,
    step_due_at  timestamptz NOT NULL,
    due_at       timestamptz NOT NULL,
    attempts     integer NOT NULL DEFAULT 0,
    lease_owner  text,
    waiting_for  text
);
CREATE INDEX timers_due ON journeys.timers (due_at);

-- What happened to each step of an enrolment, once: taken, skipped (reason) or failed (reason). message_id: the send
-- it made. corp and journey_id repeated so that progress counts read one index.
CREATE TABLE journeys.steps (
    enrolment_id uuid NOT NULL REFERENCES journeys.enrolments (id) ON DELETE CASCADE,
    step_index   integer NOT NULL,
    corp         text COLLATE "C" NOT NULL,
    journey_id   text COLLATE "C" NOT NULL,
    step_id      text COLLATE "C" NOT NULL,
    outcome      text NOT NULL,
    reason       text,
    message_id   text,
    at           timestamptz NOT NULL,
    PRIMARY KEY (enrolment_id, step_index)
);
CREATE INDEX steps_journey ON journeys.steps (corp, journey_id, step_id, outcome);
