-- Refresh tokens (isr_…) live beside access credentials (isk_…). Every credential of one device grant shares a family,
-- so that a reused refresh token can revoke all of them at once (RFC 9700 §4.14.2).
alter table gateway_credential add column kind varchar(16) not null default 'ACCESS' check (kind in ('ACCESS', 'REFRESH'));
alter table gateway_credential alter column kind drop default;
alter table gateway_credential add column family_id uuid;
update gateway_credential set family_id = id;
alter table gateway_credential alter column family_id set not null;
-- When a refresh token was exchanged; a second exchange is a reuse.
alter table gateway_credential add column used_at timestamptz;
create index gateway_credential_family_idx on gateway_credential (family_id);
