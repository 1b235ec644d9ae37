-- Failed user code entries on the verification page (RFC 8628 §5.1), counted per account, client IP and session in
-- fixed windows. Kept in the database, not in memory, so that the limit holds across replicas.
create table failed_entry (
    limit_key    varchar(320) primary key,
    window_start timestamptz  not null,
    failures     integer      not null
);
