-- Custodial setups start over on three new wallets after a fault whose outcome is unknown (docs/reliability.md):
-- how many attempts an escrow took, and each abandoned one (fault, round, wallet ids; never anything secret) as JSON.
ALTER TABLE escrow ADD COLUMN attempts INTEGER DEFAULT 1 NOT NULL;
ALTER TABLE escrow ADD COLUMN abandoned_json VARCHAR(8000);
