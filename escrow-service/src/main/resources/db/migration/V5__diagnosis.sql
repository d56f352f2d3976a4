-- A failed setup's diagnosis, as the analyzer library gave it when the setup failed: where the failure
-- surfaced and its root cause (pattern, wallet, round, state before, evidence, fix), as JSON. Hashes and
-- wallet ids only, never key material. Rows from before stay NULL.
ALTER TABLE escrow ADD COLUMN diagnosis_json VARCHAR(16000);
