-- S/MIME gateway (issue 16): correspondents' harvested certificates, gateway policy overrides
-- Same rules as V001: H2 and PostgreSQL syntax only, IF NOT EXISTS everywhere, safe to run twice.

-- Certificates learnt from verified signed mail (G6), one row per leaf (its SHA-256 fingerprint).
-- An address keeps a bounded number of rows; the gateway encrypts to the one valid now that ends last.
-- Public data only: certificates, never keys.
CREATE TABLE IF NOT EXISTS acme_smime_correspondent_cert (
    fingerprint  VARCHAR(64) PRIMARY KEY,
    address      VARCHAR(320) NOT NULL,
    pem          VARCHAR(200000) NOT NULL,
    not_before   TIMESTAMP WITH TIME ZONE NOT NULL,
    not_after    TIMESTAMP WITH TIME ZONE NOT NULL,
    gcm_capable  BOOLEAN NOT NULL,
    harvested_at TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE INDEX IF NOT EXISTS acme_smime_correspondent_cert_address
    ON acme_smime_correspondent_cert (address, harvested_at);

-- Policy overrides set over WebAdmin, for a domain or a mailbox (lower case). A NULL policy
-- inherits (the configuration for the same scope, then the domain, then the default).
CREATE TABLE IF NOT EXISTS acme_smime_gateway_policy (
    scope          VARCHAR(320) PRIMARY KEY,
    sign_policy    VARCHAR(16),
    encrypt_policy VARCHAR(16),
    updated_at     TIMESTAMP WITH TIME ZONE NOT NULL
);
