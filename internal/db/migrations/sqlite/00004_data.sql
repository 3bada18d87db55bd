-- +goose Up
-- Data sources (数据源) in groups, and data APIs (数据API): SQL templates over a
-- data source, reviewed version by version and published through the gateway.
CREATE TABLE datasource_groups (
    id         INTEGER PRIMARY KEY,
    name       TEXT NOT NULL UNIQUE,
    sort       INTEGER NOT NULL DEFAULT 0,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);

-- Passwords and private keys are sealed with the master key (SM4-GCM) and
-- never returned by the API.
CREATE TABLE datasources (
    id             INTEGER PRIMARY KEY,
    code           TEXT NOT NULL UNIQUE,
    name           TEXT NOT NULL,
    kind           TEXT NOT NULL,
    group_id       BIGINT REFERENCES datasource_groups(id) ON DELETE SET NULL,
    host           TEXT NOT NULL DEFAULT '',
    port           INTEGER NOT NULL DEFAULT 0,
    database_name  TEXT NOT NULL DEFAULT '',
    username       TEXT NOT NULL DEFAULT '',
    password_sealed BLOB,
    key_sealed     BLOB,
    options_json   TEXT NOT NULL DEFAULT '{}',
    max_open       INTEGER NOT NULL DEFAULT 10,
    max_idle       INTEGER NOT NULL DEFAULT 2,
    lifetime_s     INTEGER NOT NULL DEFAULT 1800,
    description    TEXT NOT NULL DEFAULT '',
    last_test_ok   INTEGER,
    last_test_code TEXT NOT NULL DEFAULT '',
    last_test_at   TIMESTAMP,
    created_at     TIMESTAMP NOT NULL,
    updated_at     TIMESTAMP NOT NULL
);
CREATE INDEX datasources_group ON datasources(group_id);

-- A data API's draft is edited freely; each submission freezes a version that
-- a reviewer other than its author approves or rejects. api_id is the gateway
-- API it is published as.
CREATE TABLE data_apis (
    id                INTEGER PRIMARY KEY,
    code              TEXT NOT NULL UNIQUE,
    name              TEXT NOT NULL,
    description       TEXT NOT NULL DEFAULT '',
    source_id         BIGINT NOT NULL REFERENCES datasources(id),
    method            TEXT NOT NULL,
    path              TEXT NOT NULL UNIQUE,
    status            TEXT NOT NULL DEFAULT 'draft',
    draft_json        TEXT NOT NULL,
    published_version INTEGER,
    pending_version   INTEGER,
    api_id            BIGINT REFERENCES apis(id) ON DELETE SET NULL,
    created_by        TEXT NOT NULL,
    updated_by        TEXT NOT NULL,
    created_at        TIMESTAMP NOT NULL,
    updated_at        TIMESTAMP NOT NULL
);
CREATE INDEX data_apis_source ON data_apis(source_id);

CREATE TABLE data_api_versions (
    id             INTEGER PRIMARY KEY,
    data_api_id    BIGINT NOT NULL REFERENCES data_apis(id) ON DELETE CASCADE,
    version        INTEGER NOT NULL,
    source_id      BIGINT NOT NULL,
    method         TEXT NOT NULL,
    path           TEXT NOT NULL,
    def_json       TEXT NOT NULL,
    status         TEXT NOT NULL DEFAULT 'pending',
    submitted_by_id BIGINT NOT NULL,
    submitted_by   TEXT NOT NULL,
    submitted_at   TIMESTAMP NOT NULL,
    submit_comment TEXT NOT NULL DEFAULT '',
    reviewed_by_id BIGINT,
    reviewed_by    TEXT NOT NULL DEFAULT '',
    reviewed_at    TIMESTAMP,
    review_comment TEXT NOT NULL DEFAULT '',
    UNIQUE (data_api_id, version)
);
CREATE INDEX data_api_versions_status ON data_api_versions(status);

-- Gateway APIs backed by a data API are managed from the data API, not the
-- gateway's API page.
ALTER TABLE apis ADD COLUMN kind TEXT NOT NULL DEFAULT 'http';

-- Call statistics per API read the call log by API and time.
CREATE INDEX gateway_calls_api ON gateway_calls(api_code, at);

-- +goose Down
DROP INDEX gateway_calls_api;
ALTER TABLE apis DROP COLUMN kind;
DROP TABLE data_api_versions;
DROP TABLE data_apis;
DROP TABLE datasources;
DROP TABLE datasource_groups;
