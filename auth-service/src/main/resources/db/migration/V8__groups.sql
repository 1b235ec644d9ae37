-- The caller's groups, for the proxy's per-group policy: the realm roles of the user who approved a device grant, at
-- the moment they approved it, copied to every credential issued from the grant through all its refreshes, and the
-- creator's groups for a personal key. Rows from before this migration have none.
alter table device_grant add column groups text[] not null default '{}';
alter table gateway_credential add column groups text[] not null default '{}';
