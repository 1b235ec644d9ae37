-- Compliance reports aggregate one subject's events of one type over a period (requests, policy changes, the auth and
-- token sections): this index reads only those rows, where (subject, occurred_at) would read all of the subject's.
create index audit_event_subject_type_occurred_at on audit_event (subject, type, occurred_at);
