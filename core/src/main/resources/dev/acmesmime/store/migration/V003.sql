-- audit: the codes of a decision as data (comma-separated), instead of only inside detail
-- Same rules as V001: H2 and PostgreSQL syntax only, IF NOT EXISTS everywhere.

-- Every stable code of the outcome, in order, for events that have several (challenge-answered,
-- challenge-ignored); NULL for the others. Readers no longer parse them out of detail.
ALTER TABLE acme_smime_audit ADD COLUMN IF NOT EXISTS codes VARCHAR(2000);

-- Decisions written before this version carry their codes only as the detail prefix
-- "codes=a,b; ...": copy them over, so GET /acme-smime/decisions shows old rows as before.
UPDATE acme_smime_audit SET codes = SUBSTRING(detail FROM 7 FOR POSITION(';' IN detail) - 7)
    WHERE codes IS NULL AND event IN ('challenge-answered', 'challenge-ignored')
    AND detail LIKE 'codes=%' AND POSITION(';' IN detail) > 7;
UPDATE acme_smime_audit SET codes = SUBSTRING(detail FROM 7)
    WHERE codes IS NULL AND event IN ('challenge-answered', 'challenge-ignored')
    AND detail LIKE 'codes=%' AND POSITION(';' IN detail) = 0 AND CHAR_LENGTH(detail) > 6;
