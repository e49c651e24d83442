-- automatic enrolment (issue 15): enrolment steps, scheduling, leases, certificate facts; ACME accounts
-- Same rules as V001: H2 and PostgreSQL syntax only, IF NOT EXISTS everywhere, and every statement
-- safe to run twice (H2 commits DDL as it goes, so an interrupted upgrade runs again from the top).
-- Columns are added, never renamed: a rename cannot be written so that it runs twice on both databases.
-- So "state" now holds an EnrolmentStep name and "last_error" the CA's problem detail (one line).

ALTER TABLE acme_smime_enrolment ADD COLUMN IF NOT EXISTS domain VARCHAR(255);
ALTER TABLE acme_smime_enrolment ADD COLUMN IF NOT EXISTS profile VARCHAR(64);
ALTER TABLE acme_smime_enrolment ADD COLUMN IF NOT EXISTS challenge_url VARCHAR(2048);
ALTER TABLE acme_smime_enrolment ADD COLUMN IF NOT EXISTS attempts INTEGER DEFAULT 0 NOT NULL;
ALTER TABLE acme_smime_enrolment ADD COLUMN IF NOT EXISTS next_attempt_at TIMESTAMP WITH TIME ZONE;
ALTER TABLE acme_smime_enrolment ADD COLUMN IF NOT EXISTS problem_type VARCHAR(255);
ALTER TABLE acme_smime_enrolment ADD COLUMN IF NOT EXISTS certificate_serial VARCHAR(128);
ALTER TABLE acme_smime_enrolment ADD COLUMN IF NOT EXISTS ari_cert_id VARCHAR(512);
ALTER TABLE acme_smime_enrolment ADD COLUMN IF NOT EXISTS certificate_not_before TIMESTAMP WITH TIME ZONE;
ALTER TABLE acme_smime_enrolment ADD COLUMN IF NOT EXISTS replaces_cert_id VARCHAR(512);
ALTER TABLE acme_smime_enrolment ADD COLUMN IF NOT EXISTS lease_owner VARCHAR(200);
ALTER TABLE acme_smime_enrolment ADD COLUMN IF NOT EXISTS lease_until TIMESTAMP WITH TIME ZONE;

-- Rows written before this version: NEW becomes NONE (ORDERED, ISSUED and FAILED keep their name);
-- the domain is what follows the '@'. Each old row is made due at once, so that the engine looks at
-- it and schedules it (an old ISSUED row lacks the facts its renewal time comes from).
UPDATE acme_smime_enrolment SET state = 'NONE' WHERE state = 'NEW';
UPDATE acme_smime_enrolment SET domain = LOWER(SUBSTRING(mailbox FROM POSITION('@' IN mailbox) + 1))
    WHERE domain IS NULL;
UPDATE acme_smime_enrolment SET next_attempt_at = updated_at WHERE next_attempt_at IS NULL;

-- claimDue reads the earliest due rows; list pages by domain or step in mailbox order.
CREATE INDEX IF NOT EXISTS acme_smime_enrolment_due ON acme_smime_enrolment (next_attempt_at);
CREATE INDEX IF NOT EXISTS acme_smime_enrolment_domain ON acme_smime_enrolment (domain, mailbox);
CREATE INDEX IF NOT EXISTS acme_smime_enrolment_step ON acme_smime_enrolment (state, mailbox);

-- One ACME account per CA profile; account_key (PKCS#8) is sealed. account_url is NULL between
-- the key being stored and the CA answering newAccount, so a crash there reuses the key.
CREATE TABLE IF NOT EXISTS acme_smime_acme_account (
    profile       VARCHAR(64) PRIMARY KEY,
    directory_url VARCHAR(2048) NOT NULL,
    account_url   VARCHAR(2048),
    account_key   BYTEA NOT NULL,
    created_at    TIMESTAMP WITH TIME ZONE NOT NULL,
    updated_at    TIMESTAMP WITH TIME ZONE NOT NULL
);
