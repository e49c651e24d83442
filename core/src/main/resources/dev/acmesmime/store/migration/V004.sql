-- metrics (issue 18): the pending-challenges gauge counts pending, unexpired rows of every
-- mailbox on each scrape of /metrics; V001's index leads with mailbox and cannot serve it.
-- Same rules as V001: H2 and PostgreSQL syntax only, IF NOT EXISTS everywhere.
CREATE INDEX IF NOT EXISTS acme_smime_pending_challenge_status_expiry
    ON acme_smime_pending_challenge (status, expires_at);
