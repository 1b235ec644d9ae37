-- Link sessions: auth-service as an RFC 8628 client of an upstream provider, on behalf of a developer. The upstream
-- device code is a bearer secret for the provider's token endpoint, and unlike our own codes it must be sent again
-- after a restart, so it is kept encrypted (AES-256-GCM, nonce || ciphertext || tag, the session id as associated
-- data) rather than hashed, and erased once the session ends. The user code is shown to the developer anyway and is
-- kept in clear.
create table link_session (
    id                         uuid         primary key,
    tenant                     varchar(128) not null,
    subject                    varchar(255) not null,
    provider                   varchar(64)  not null,
    state                      varchar(16)  not null
        check (state in ('PENDING', 'LINKED', 'DENIED', 'EXPIRED', 'FAILED', 'CANCELLED')),
    -- erased once the session ends: a finished session has no use for the code
    device_code_ciphertext     bytea,
    user_code                  varchar(64)  not null,
    verification_uri           varchar(2048) not null,
    verification_uri_complete  varchar(2048),
    interval_seconds           integer      not null check (interval_seconds > 0),
    expires_at                 timestamptz  not null,
    error                      varchar(64),
    created_at                 timestamptz  not null,
    updated_at                 timestamptz  not null,
    -- the replica polling a pending session, and until when its claim holds; another replica resumes the session only
    -- after the claim has lapsed, so one session is never polled twice
    claimed_by                 varchar(64),
    lease_until                timestamptz,
    constraint link_session_pending_code_check check (state <> 'PENDING' or device_code_ciphertext is not null)
);

-- A developer's pending sessions, and the pending ones a replica may resume.
create index link_session_owner_idx on link_session (tenant, subject, provider) where state = 'PENDING';
create index link_session_pending_lease_idx on link_session (lease_until) where state = 'PENDING';
