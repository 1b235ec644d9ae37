-- Transactional outbox for proxy-events. A request's proxy.request.completed is written here once the request has
-- ended, a policy change's proxy.policy.changed in the same transaction as the change. The relay publishes rows in seq
-- order, stamps published_at once the broker has acknowledged them, and deletes them after proxy.outbox.retention.
create table outbox_event (
    id           uuid         primary key,
    seq          bigint       generated always as identity,
    topic        varchar(128) not null,
    payload      text         not null,
    created_at   timestamptz  not null,
    published_at timestamptz
);
-- The relay's work list.
create index outbox_event_unpublished_idx on outbox_event (seq) where published_at is null;
-- The clean-up's: one row per gateway request makes this the service's largest table.
create index outbox_event_published_idx on outbox_event (published_at) where published_at is not null;
