-- Personal keys (isk_…) that users create on the account page; like every credential only their SHA-256 is kept. A
-- personal key is its own family, so revoking a family revokes exactly the key.
alter table gateway_credential drop constraint gateway_credential_kind_check;
alter table gateway_credential add constraint gateway_credential_kind_check
    check (kind in ('ACCESS', 'REFRESH', 'PERSONAL_KEY'));
-- The name the user gave a personal key; null for device credentials.
alter table gateway_credential add column name varchar(64);
alter table gateway_credential add constraint gateway_credential_name_check
    check ((kind = 'PERSONAL_KEY') = (name is not null));
-- The account page lists a user's credentials.
create index gateway_credential_subject_idx on gateway_credential (subject);
