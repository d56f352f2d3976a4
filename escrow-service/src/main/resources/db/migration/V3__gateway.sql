-- Several wallet-gateway pods: each escrow's wallets live on one, recorded here (its URL's host:port).
-- Rows from before stay NULL and belong to the first pod in wallet-gateway.urls.
ALTER TABLE escrow ADD COLUMN gateway VARCHAR(255);
