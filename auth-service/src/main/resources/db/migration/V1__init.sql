-- Device authorization grants (RFC 8628). Only the SHA-256 of the device code is kept.
create table device_grant (
    id                   uuid         primary key,
    device_code_hash     varchar(64)  not null,
    user_code            varchar(8)   not null,
    client_id            varchar(128) not null,
    scope                varchar(512) not null,
    status               varchar(16)  not null check (status in ('PENDING', 'APPROVED', 'DENIED', 'EXCHANGED')),
    interval_seconds     integer      not null,
    last_polled_at       timestamptz,
    expires_at           timestamptz  not null,
    requester_ip         varchar(64),
    requester_user_agent varchar(512),
    created_at           timestamptz  not null,
    subject              varchar(255),
    decided_at           timestamptz,
    constraint device_grant_device_code_hash_uk unique (device_code_hash)
);

-- No two pending grants share a user code, so the code a user types names exactly one grant.
create unique index device_grant_pending_user_code_uk on device_grant (user_code) where status = 'PENDING';

-- Gateway credentials (isk_…). Only the SHA-256 of the credential is kept.
create table gateway_credential (
    id          uuid         primary key,
    token_hash  varchar(64)  not null,
    subject     varchar(255) not null,
    tenant      varchar(128) not null,
    client_id   varchar(128) not null,
    scope       varchar(512) not null,
    issued_at   timestamptz  not null,
    expires_at  timestamptz  not null,
    revoked_at  timestamptz,
    constraint gateway_credential_token_hash_uk unique (token_hash)
);
