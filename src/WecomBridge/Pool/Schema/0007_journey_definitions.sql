-- Journey definitions (docs/journeys.md, "Defining journeys"): every version of every journey, never changed once
-- written, so that running enrolments keep the version they started on. Schema journeys, also created by the
-- journeys' runtime script: whichever runs first creates it.
CREATE SCHEMA IF NOT EXISTS journeys;

-- One row per journey: its latest version. Saving takes the next number here (the row lock orders concurrent saves),
-- so two saves never get the same version. corp_key is the corp in lower case: corp names compare ignoring case.
CREATE TABLE journeys.definition_heads (
    corp_key text COLLATE "C" NOT NULL,
    id       text COLLATE "C" NOT NULL,
    latest   integer NOT NULL,
    PRIMARY KEY (corp_key, id)
);

-- The versions as written: the definition's JSON (json, not jsonb: it reads back as it was written) and the columns
-- the runtime looks journeys up by.
CREATE TABLE journeys.definition_versions (
    corp_key     text COLLATE "C" NOT NULL,
    id           text COLLATE "C" NOT NULL,
    version      integer NOT NULL,
    corp         text NOT NULL,
    name         text NOT NULL,
    active       boolean NOT NULL,
    trigger_kind text COLLATE "C" NOT NULL,
    source       json NOT NULL,
    created_at   timestamptz NOT NULL,
    PRIMARY KEY (corp_key, id, version),
    FOREIGN KEY (corp_key, id) REFERENCES journeys.definition_heads (corp_key, id)
);
