-- Users an administrator disabled (the kill switch for a developer who left or lost a laptop). A row means disabled;
-- enabling deletes it, and the auth-events topic keeps the history. A subject needs no earlier sign-in to be disabled:
-- SSO users exist before their first login.
create table disabled_user (
    tenant       varchar(128) not null,
    subject      varchar(255) not null,
    disabled_at  timestamptz  not null,
    -- the administrator's preferred_username
    disabled_by  varchar(255) not null,
    reason       varchar(500),
    primary key (tenant, subject)
);

-- The provider links of a disabled user that token-service has not yet confirmed revoked. Written in the transaction
-- that disables the user, deleted once token-service answers, retried with back-off while it does not: a revocation
-- asked for while token-service is down is delayed, never lost.
create table link_revocation (
    tenant           varchar(128) not null,
    subject          varchar(255) not null,
    requested_at     timestamptz  not null,
    requested_by     varchar(255) not null,
    attempts         integer      not null default 0,
    -- when a retry may take it up next; a retry that takes it pushes this forward first, so one replica tries at a time
    next_attempt_at  timestamptz  not null,
    last_error       varchar(64),
    primary key (tenant, subject)
);
create index link_revocation_due_idx on link_revocation (next_attempt_at);
