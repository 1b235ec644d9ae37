-- Transactional outbox for auth-events: each state change writes its event here in the same transaction, and the
-- relay publishes rows in seq order and stamps published_at once the broker has acknowledged them.
create table outbox_event (
    id           uuid         primary key,
    seq          bigint       generated always as identity,
    topic        varchar(128) not null,
    payload      text         not null,
    created_at   timestamptz  not null,
    published_at timestamptz
);
create index outbox_event_unpublished_idx on outbox_event (seq) where published_at is null;

-- A grant a poll found expired is marked so, which frees its user code and reports the expiry exactly once.
alter table device_grant drop constraint device_grant_status_check;
alter table device_grant add constraint device_grant_status_check
    check (status in ('PENDING', 'APPROVED', 'DENIED', 'EXCHANGED', 'EXPIRED'));
