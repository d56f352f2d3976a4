-- Non-custodial escrows (custody 'parties', docs/parties.md): buyer and vendor keep their own wallets; the
-- service holds the arbiter's and keeps a mailbox per escrow, party and setup round.
ALTER TABLE escrow ADD COLUMN custody VARCHAR(16) DEFAULT 'SERVICE' NOT NULL;
-- Each party's credential, as SHA-256 only: the token itself is shown once, at init.
ALTER TABLE escrow ADD COLUMN buyer_token_sha256 VARCHAR(64);
ALTER TABLE escrow ADD COLUMN vendor_token_sha256 VARCHAR(64);
-- The round whose infos are being collected (1-3; 4: the addresses) and when it must be complete.
ALTER TABLE escrow ADD COLUMN party_round INTEGER;
ALTER TABLE escrow ADD COLUMN round_opened_at TIMESTAMP WITH TIME ZONE;
ALTER TABLE escrow ADD COLUMN round_deadline TIMESTAMP WITH TIME ZONE;

-- One participant's message for one round: its multisig info (rounds 1-3) or the address it computed (4).
-- The info is key material: erased (NULL) when the setup ends; its hash, size and time stay.
CREATE TABLE party_message (
    id           VARCHAR(80)   NOT NULL PRIMARY KEY,
    escrow_id    VARCHAR(40)   NOT NULL,
    role         VARCHAR(16)   NOT NULL,
    round        INTEGER       NOT NULL,
    info         VARCHAR(16000),
    sha256       VARCHAR(64)   NOT NULL,
    size         INTEGER       NOT NULL,
    received_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    rejected     INTEGER       DEFAULT 0 NOT NULL
);
CREATE INDEX party_message_escrow_round ON party_message (escrow_id, round);
CREATE INDEX escrow_round_deadline ON escrow (status, round_deadline);
