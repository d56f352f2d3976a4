-- Works on H2 (the one-machine default) and PostgreSQL.
CREATE TABLE escrow (
    id                 VARCHAR(40)   NOT NULL PRIMARY KEY,
    buyer_id           VARCHAR(64)   NOT NULL,
    vendor_id          VARCHAR(64)   NOT NULL,
    amount             BIGINT        NOT NULL,
    status             VARCHAR(20)   NOT NULL,
    multisig_address   VARCHAR(128),
    buyer_wallet_id    VARCHAR(64),
    vendor_wallet_id   VARCHAR(64),
    arbiter_wallet_id  VARCHAR(64),
    lease_id           VARCHAR(64),
    owner              VARCHAR(128),
    lease_token        BIGINT,
    idempotency_key    VARCHAR(255),
    request_hash       VARCHAR(64),
    failure_round      INTEGER,
    failure_role       VARCHAR(16),
    failure_operation  VARCHAR(64),
    failure_code       INTEGER,
    failure_error      VARCHAR(2000),
    created_at         TIMESTAMP WITH TIME ZONE NOT NULL,
    updated_at         TIMESTAMP WITH TIME ZONE NOT NULL,
    setup_duration_ms  BIGINT,
    version            BIGINT        NOT NULL,
    CONSTRAINT escrow_idempotency_key UNIQUE (idempotency_key)
);
CREATE INDEX escrow_status_created ON escrow (status, created_at);
