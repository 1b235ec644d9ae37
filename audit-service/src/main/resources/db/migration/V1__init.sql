-- One row per event envelope, keyed by the envelope id so that redeliveries are stored once.
create table audit_event (
    id          uuid        primary key,
    type        text        not null,
    version     integer     not null check (version >= 1),
    occurred_at timestamptz not null,
    tenant      text        not null,
    subject     text,
    topic       text        not null,
    body        jsonb       not null,
    received_at timestamptz not null
);

-- The API filters by tenant or subject within a time range, or by type; every listing is newest first.
create index audit_event_tenant_occurred_at on audit_event (tenant, occurred_at);
create index audit_event_subject_occurred_at on audit_event (subject, occurred_at);
create index audit_event_type on audit_event (type);
-- Serves the unfiltered newest-first listing (the dashboard) without sorting the whole table.
create index audit_event_occurred_at_id on audit_event (occurred_at, id);
