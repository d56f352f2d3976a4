-- Non-custodial payouts (custody 'parties', docs/funds.md): the parties build and sign, the service checks and passes on.
-- The sync epoch whose multisig infos (export_multisig_info) are being exchanged; a new one after a dispute, a refused
-- transaction set or a re-issue, so nothing is ever signed on old data.
ALTER TABLE escrow ADD COLUMN sync_epoch INTEGER;
-- The transaction set waiting for its second signature (a multisig tx set is not key material: it is encrypted to the
-- escrow's shared view key and spends only to the checked address), its hash, epoch, signer and deadline.
ALTER TABLE escrow ADD COLUMN payout_txset VARCHAR(1000000);
ALTER TABLE escrow ADD COLUMN payout_txset_sha256 VARCHAR(64);
ALTER TABLE escrow ADD COLUMN payout_epoch INTEGER;
ALTER TABLE escrow ADD COLUMN payout_signer VARCHAR(16);
ALTER TABLE escrow ADD COLUMN payout_deadline TIMESTAMP WITH TIME ZONE;
ALTER TABLE escrow ADD COLUMN payout_overdue_at TIMESTAMP WITH TIME ZONE;
-- An arbiter's ruling waiting for the winner's export of this epoch; built as soon as it arrives.
ALTER TABLE escrow ADD COLUMN resolve_winner VARCHAR(16);
ALTER TABLE escrow ADD COLUMN resolve_epoch INTEGER;

-- One participant's export_multisig_info for one sync epoch, and what it imported of the others'. The info is
-- key material: erased (NULL) when the payout ends; its hash, size and times stay.
CREATE TABLE party_sync (
    id             VARCHAR(80)   NOT NULL PRIMARY KEY,
    escrow_id      VARCHAR(40)   NOT NULL,
    epoch          INTEGER       NOT NULL,
    role           VARCHAR(16)   NOT NULL,
    info           VARCHAR(1000000),
    sha256         VARCHAR(64)   NOT NULL,
    size           INTEGER       NOT NULL,
    received_at    TIMESTAMP WITH TIME ZONE NOT NULL,
    imported_from  VARCHAR(40),
    imported_at    TIMESTAMP WITH TIME ZONE,
    n_outputs      INTEGER,
    rejected       INTEGER       DEFAULT 0 NOT NULL
);
CREATE INDEX party_sync_escrow_epoch ON party_sync (escrow_id, epoch);
