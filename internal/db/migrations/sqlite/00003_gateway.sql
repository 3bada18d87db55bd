-- +goose Up
-- The gateway's control plane: consumers (接入方) and their credentials, the
-- platform's signing keys, published APIs, grants, and the call log.
CREATE TABLE consumers (
    id          INTEGER PRIMARY KEY,
    code        TEXT NOT NULL UNIQUE,
    name        TEXT NOT NULL,
    org_name    TEXT NOT NULL DEFAULT '',
    contact     TEXT NOT NULL DEFAULT '',
    phone       TEXT NOT NULL DEFAULT '',
    description TEXT NOT NULL DEFAULT '',
    status      TEXT NOT NULL DEFAULT 'active',
    created_at  TIMESTAMP NOT NULL,
    updated_at  TIMESTAMP NOT NULL
);

-- Access keys: an HMAC-SM3 secret (sealed with the master key) or an SM2 public key.
CREATE TABLE consumer_keys (
    id            INTEGER PRIMARY KEY,
    key_id        TEXT NOT NULL UNIQUE,
    consumer_id   BIGINT NOT NULL REFERENCES consumers(id) ON DELETE CASCADE,
    kind          TEXT NOT NULL,
    secret_sealed BLOB,
    public_pem    TEXT NOT NULL DEFAULT '',
    status        TEXT NOT NULL DEFAULT 'active',
    expires_at    TIMESTAMP,
    created_at    TIMESTAMP NOT NULL,
    revoked_at    TIMESTAMP
);
CREATE INDEX consumer_keys_consumer ON consumer_keys(consumer_id);

-- SM4 data keys issued to a consumer, sealed at rest, delivered in an SM2 envelope.
CREATE TABLE data_keys (
    id          INTEGER PRIMARY KEY,
    key_id      TEXT NOT NULL UNIQUE,
    consumer_id BIGINT NOT NULL REFERENCES consumers(id) ON DELETE CASCADE,
    key_sealed  BLOB NOT NULL,
    envelope    TEXT NOT NULL,
    status      TEXT NOT NULL DEFAULT 'active',
    expires_at  TIMESTAMP,
    created_at  TIMESTAMP NOT NULL
);

CREATE TABLE platform_keys (
    id             INTEGER PRIMARY KEY,
    key_id         TEXT NOT NULL UNIQUE,
    private_sealed BLOB NOT NULL,
    public_pem     TEXT NOT NULL,
    status         TEXT NOT NULL DEFAULT 'active',
    created_at     TIMESTAMP NOT NULL
);

-- Published APIs: a method and path on the gateway mapped to an upstream.
CREATE TABLE apis (
    id           INTEGER PRIMARY KEY,
    code         TEXT NOT NULL UNIQUE,
    name         TEXT NOT NULL,
    method       TEXT NOT NULL,
    path         TEXT NOT NULL,
    upstream_url TEXT NOT NULL,
    timeout_ms   INTEGER NOT NULL DEFAULT 5000,
    retries      INTEGER NOT NULL DEFAULT 0,
    fields_json  TEXT NOT NULL DEFAULT '[]',
    status       TEXT NOT NULL DEFAULT 'published',
    created_at   TIMESTAMP NOT NULL,
    updated_at   TIMESTAMP NOT NULL,
    UNIQUE (method, path)
);

-- Grants: consumer × API with fields, plain-text categories, limits and validity.
CREATE TABLE grants (
    id                   INTEGER PRIMARY KEY,
    consumer_id          BIGINT NOT NULL REFERENCES consumers(id) ON DELETE CASCADE,
    api_id               BIGINT NOT NULL REFERENCES apis(id) ON DELETE CASCADE,
    fields_json          TEXT NOT NULL DEFAULT '[]',
    plaintext_json       TEXT NOT NULL DEFAULT '[]',
    rate_per_sec         DOUBLE PRECISION NOT NULL DEFAULT 0,
    burst                INTEGER NOT NULL DEFAULT 0,
    quota_day            BIGINT NOT NULL DEFAULT 0,
    quota_month          BIGINT NOT NULL DEFAULT 0,
    valid_from           TIMESTAMP,
    valid_to             TIMESTAMP,
    ip_allowlist         TEXT NOT NULL DEFAULT '',
    methods              TEXT NOT NULL DEFAULT '',
    status               TEXT NOT NULL DEFAULT 'active',
    created_at           TIMESTAMP NOT NULL,
    updated_at           TIMESTAMP NOT NULL,
    UNIQUE (consumer_id, api_id)
);

-- One row per gateway call. The subject looked up (公民身份号码 / 统一社会信用代码)
-- is stored sealed, with a keyed SM3 index so the audit admin can search by it.
CREATE TABLE gateway_calls (
    id             INTEGER PRIMARY KEY,
    call_id        TEXT NOT NULL UNIQUE,
    at             TIMESTAMP NOT NULL,
    consumer_id    BIGINT,
    consumer_code  TEXT NOT NULL DEFAULT '',
    key_id         TEXT NOT NULL DEFAULT '',
    api_code       TEXT NOT NULL DEFAULT '',
    method         TEXT NOT NULL,
    path           TEXT NOT NULL,
    client_ip      TEXT NOT NULL DEFAULT '',
    status         INTEGER NOT NULL,
    code           TEXT NOT NULL DEFAULT '',
    latency_us     BIGINT NOT NULL DEFAULT 0,
    bytes_in       BIGINT NOT NULL DEFAULT 0,
    bytes_out      BIGINT NOT NULL DEFAULT 0,
    records        INTEGER NOT NULL DEFAULT 0,
    subject_index  TEXT NOT NULL DEFAULT '',
    subject_sealed BLOB
);
CREATE INDEX gateway_calls_at ON gateway_calls(at);
CREATE INDEX gateway_calls_consumer ON gateway_calls(consumer_code, at);
CREATE INDEX gateway_calls_subject ON gateway_calls(subject_index);

-- +goose Down
DROP TABLE gateway_calls;
DROP TABLE grants;
DROP TABLE apis;
DROP TABLE platform_keys;
DROP TABLE data_keys;
DROP TABLE consumer_keys;
DROP TABLE consumers;
