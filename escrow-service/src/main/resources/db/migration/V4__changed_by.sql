-- Who asked for the escrow's last caller-made change (init, payout addresses, release, refund, dispute, resolve):
-- the token's subject, or "local" for the launcher's loopback default. Rows from before stay NULL.
ALTER TABLE escrow ADD COLUMN changed_by VARCHAR(255);
