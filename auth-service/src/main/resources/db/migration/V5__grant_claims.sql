-- RFC 8628 §5.5 (session spying): the first signed-in user to confirm a pending code claims it, and only that user
-- may approve or deny it until it is decided or expires.
alter table device_grant add column claimed_by varchar(255);
alter table device_grant add column claimed_at timestamptz;
