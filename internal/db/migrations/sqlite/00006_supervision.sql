-- +goose Up
-- Fund supervision (基金监管): rule settings (enabled flags, per-city
-- parameters, user-defined rules with versions), task groups and runs
-- (调度管理), warnings (预警/疑点) with their lifecycle events, evidence
-- files and the quarterly samples (抽查). Money is stored in fen (分).

-- Enabled flag per rule code (built-in or user-defined); no row: enabled.
CREATE TABLE sup_rule_settings (
    rule_code  TEXT PRIMARY KEY,
    enabled    BOOLEAN NOT NULL DEFAULT TRUE,
    updated_by TEXT NOT NULL DEFAULT '',
    updated_at TIMESTAMP NOT NULL
);

-- 规则参数维护: a city's value of a rule parameter, over the default.
CREATE TABLE sup_rule_params (
    id         INTEGER PRIMARY KEY,
    rule_code  TEXT NOT NULL,
    city       TEXT NOT NULL,
    param      TEXT NOT NULL,
    value      TEXT NOT NULL,
    updated_by TEXT NOT NULL DEFAULT '',
    updated_at TIMESTAMP NOT NULL,
    UNIQUE (rule_code, city, param)
);

-- User-defined rules; every save is a new version, one version is active
-- (0: none yet, the rule does not run).
CREATE TABLE sup_custom_rules (
    id             INTEGER PRIMARY KEY,
    code           TEXT NOT NULL UNIQUE,
    latest_version INTEGER NOT NULL DEFAULT 0,
    active_version INTEGER NOT NULL DEFAULT 0,
    created_by     TEXT NOT NULL,
    created_at     TIMESTAMP NOT NULL,
    updated_at     TIMESTAMP NOT NULL
);

CREATE TABLE sup_custom_rule_versions (
    id         INTEGER PRIMARY KEY,
    rule_id    BIGINT NOT NULL REFERENCES sup_custom_rules(id) ON DELETE CASCADE,
    version    INTEGER NOT NULL,
    rule_json  TEXT NOT NULL,
    created_by TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    UNIQUE (rule_id, version)
);

-- 任务组: rules run together, on a schedule ('' : manual only).
CREATE TABLE sup_task_groups (
    id              INTEGER PRIMARY KEY,
    name            TEXT NOT NULL UNIQUE,
    rule_codes_json TEXT NOT NULL,
    schedule        TEXT NOT NULL DEFAULT '',
    enabled         BOOLEAN NOT NULL DEFAULT TRUE,
    last_fired_at   TIMESTAMP,
    created_by      TEXT NOT NULL,
    created_at      TIMESTAMP NOT NULL,
    updated_at      TIMESTAMP NOT NULL
);

-- A run: queued → running → succeeded | failed | warning (some rules failed).
CREATE TABLE sup_runs (
    id              INTEGER PRIMARY KEY,
    group_id        BIGINT REFERENCES sup_task_groups(id) ON DELETE SET NULL,
    group_name      TEXT NOT NULL DEFAULT '',
    trigger_kind    TEXT NOT NULL,
    rule_codes_json TEXT NOT NULL,
    status          TEXT NOT NULL,
    total           INTEGER NOT NULL DEFAULT 0,
    done            INTEGER NOT NULL DEFAULT 0,
    hits            INTEGER NOT NULL DEFAULT 0,
    new_warnings    INTEGER NOT NULL DEFAULT 0,
    reopened        INTEGER NOT NULL DEFAULT 0,
    cancelled       BOOLEAN NOT NULL DEFAULT FALSE,
    error           TEXT NOT NULL DEFAULT '',
    results_json    TEXT NOT NULL DEFAULT '[]',
    created_by      TEXT NOT NULL,
    queued_at       TIMESTAMP NOT NULL,
    started_at      TIMESTAMP,
    finished_at     TIMESTAMP
);
CREATE INDEX sup_runs_group ON sup_runs(group_id, status);

-- 抽查: a quarter's sample of closed warnings, reproducible from its seed.
CREATE TABLE sup_samples (
    id         INTEGER PRIMARY KEY,
    quarter    TEXT NOT NULL UNIQUE,
    seed       BIGINT NOT NULL,
    size       INTEGER NOT NULL,
    population INTEGER NOT NULL,
    ids_json   TEXT NOT NULL,
    created_by TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL
);

-- 预警: one per (rule, subject, period). subject is the 公民身份号码 or
-- 统一社会信用代码 as the rule found it (screening data for supervisors).
CREATE TABLE sup_warnings (
    id                  INTEGER PRIMARY KEY,
    rule_code           TEXT NOT NULL,
    rule_name           TEXT NOT NULL,
    severity            TEXT NOT NULL,
    subject             TEXT NOT NULL,
    subject_name        TEXT NOT NULL,
    region              TEXT NOT NULL,
    city                TEXT NOT NULL,
    province            TEXT NOT NULL,
    insurance           TEXT NOT NULL,
    period              TEXT NOT NULL,
    amount_fen          BIGINT NOT NULL DEFAULT 0,
    evidence            TEXT NOT NULL,
    evidence_hash       TEXT NOT NULL,
    status              TEXT NOT NULL,
    run_id              BIGINT,
    last_run_id         BIGINT,
    reopen_count        INTEGER NOT NULL DEFAULT 0,
    agency_id           BIGINT REFERENCES orgs(id),
    deadline            TIMESTAMP,
    dispatched_at       TIMESTAMP,
    escalation          INTEGER NOT NULL DEFAULT 0,
    findings            TEXT NOT NULL DEFAULT '',
    problem_category    TEXT NOT NULL DEFAULT '',
    rectified           BOOLEAN NOT NULL DEFAULT FALSE,
    verified_amount_fen BIGINT,
    recovered_fen       BIGINT NOT NULL DEFAULT 0,
    file_ids_json       TEXT NOT NULL DEFAULT '[]',
    verified_at         TIMESTAMP,
    closed_at           TIMESTAMP,
    sample_id           BIGINT REFERENCES sup_samples(id),
    recheck_status      TEXT NOT NULL DEFAULT '',
    recheck_comment     TEXT NOT NULL DEFAULT '',
    created_at          TIMESTAMP NOT NULL,
    updated_at          TIMESTAMP NOT NULL,
    UNIQUE (rule_code, subject, period)
);
CREATE INDEX sup_warnings_status ON sup_warnings(status, deadline);
CREATE INDEX sup_warnings_region ON sup_warnings(region);
CREATE INDEX sup_warnings_agency ON sup_warnings(agency_id, status);
CREATE INDEX sup_warnings_closed ON sup_warnings(closed_at);

-- Every step of a warning: who, when, what, from which state to which.
CREATE TABLE sup_warning_events (
    id          INTEGER PRIMARY KEY,
    warning_id  BIGINT NOT NULL REFERENCES sup_warnings(id) ON DELETE CASCADE,
    action      TEXT NOT NULL,
    from_status TEXT NOT NULL DEFAULT '',
    to_status   TEXT NOT NULL DEFAULT '',
    actor_id    BIGINT,
    actor_name  TEXT NOT NULL,
    comment     TEXT NOT NULL DEFAULT '',
    run_id      BIGINT,
    at          TIMESTAMP NOT NULL
);
CREATE INDEX sup_warning_events_warning ON sup_warning_events(warning_id);

-- Evidence files of a verification (核查材料), stored under the service's
-- file directory by id; sm3 is the digest of the bytes.
CREATE TABLE sup_evidence_files (
    id           INTEGER PRIMARY KEY,
    warning_id   BIGINT NOT NULL REFERENCES sup_warnings(id) ON DELETE CASCADE,
    name         TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size         BIGINT NOT NULL,
    sm3          TEXT NOT NULL,
    stored_name  TEXT NOT NULL,
    uploaded_by  TEXT NOT NULL,
    org_id       BIGINT,
    uploaded_at  TIMESTAMP NOT NULL
);
CREATE INDEX sup_evidence_files_warning ON sup_evidence_files(warning_id);

-- +goose Down
DROP TABLE sup_evidence_files;
DROP TABLE sup_warning_events;
DROP TABLE sup_warnings;
DROP TABLE sup_samples;
DROP TABLE sup_runs;
DROP TABLE sup_task_groups;
DROP TABLE sup_custom_rule_versions;
DROP TABLE sup_custom_rules;
DROP TABLE sup_rule_params;
DROP TABLE sup_rule_settings;
