-- organisation role (issue 14 §3): the response outbox, so that a claimed challenge's response is never lost
-- Same rules as V001: H2 and PostgreSQL syntax only, IF NOT EXISTS everywhere, safe to run twice.

-- One row per answered challenge (its registered challenge's URL): the composed, DKIM-signed
-- response and its envelope, written in the transaction that claims the challenge. Sent by the node
-- holding the lease; state PENDING until James's spool took it (DONE), or FAILED when the challenge
-- expired first. The response carries no secret (the key authorization's digest is meant for the CA).
CREATE TABLE IF NOT EXISTS acme_smime_response_outbox (
    challenge_url       VARCHAR(2048) PRIMARY KEY,
    mailbox             VARCHAR(320) NOT NULL,
    envelope_sender     VARCHAR(320) NOT NULL,
    recipient           VARCHAR(320) NOT NULL,
    response_message_id VARCHAR(998) NOT NULL,
    message             BYTEA NOT NULL,
    state               VARCHAR(16) NOT NULL,
    attempts            INTEGER NOT NULL,
    created_at          TIMESTAMP WITH TIME ZONE NOT NULL,
    expires_at          TIMESTAMP WITH TIME ZONE NOT NULL,
    next_attempt_at     TIMESTAMP WITH TIME ZONE NOT NULL,
    lease_owner         VARCHAR(200),
    lease_until         TIMESTAMP WITH TIME ZONE,
    last_error          VARCHAR(2000),
    finished_at         TIMESTAMP WITH TIME ZONE
);
CREATE INDEX IF NOT EXISTS acme_smime_response_outbox_due
    ON acme_smime_response_outbox (state, next_attempt_at);
