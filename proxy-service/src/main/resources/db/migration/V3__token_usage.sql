-- Tokens each developer used per UTC day, as the upstreams reported them (or the gateway estimated them), for the
-- daily token budget (proxy.limits.tokens-per-day). Every replica adds a finished request's tokens with one atomic
-- upsert and reads today's row before forwarding: this table, not a replica's memory, is the truth across replicas.
-- One row per developer and day; days older than proxy.limits.usage-retention are deleted.
create table token_usage (
    tenant        varchar(64)  not null,
    subject       varchar(255) not null,
    day           date         not null,
    input_tokens  bigint       not null check (input_tokens >= 0),
    output_tokens bigint       not null check (output_tokens >= 0),
    primary key (tenant, subject, day)
);
-- The clean-up's.
create index token_usage_day_idx on token_usage (day);
