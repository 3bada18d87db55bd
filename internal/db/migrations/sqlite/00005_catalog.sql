-- +goose Up
-- The data asset catalog (数据资产目录) and the sharing workflow (资源申请,
-- 数据供需, 负面清单): entries classified and owned by a department, the
-- resources mounted on them, requests approved level by level and ending
-- in a gateway grant, and in-app notifications.
CREATE TABLE catalog_categories (
    id         INTEGER PRIMARY KEY,
    parent_id  BIGINT REFERENCES catalog_categories(id),
    code       TEXT NOT NULL UNIQUE,
    name       TEXT NOT NULL,
    sort       INTEGER NOT NULL DEFAULT 0,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);

-- 编目: status draft → submitted → published (→ a change submitted again) → offline.
-- pending_json holds a submitted change of a published entry until approved.
CREATE TABLE catalog_entries (
    id               INTEGER PRIMARY KEY,
    code             TEXT NOT NULL UNIQUE,
    name             TEXT NOT NULL,
    description      TEXT NOT NULL DEFAULT '',
    keywords         TEXT NOT NULL DEFAULT '',
    org_id           BIGINT NOT NULL REFERENCES orgs(id),
    category_id      BIGINT REFERENCES catalog_categories(id),
    source_system    TEXT NOT NULL DEFAULT '',
    industry         TEXT NOT NULL DEFAULT '',
    domain           TEXT NOT NULL DEFAULT '',
    update_frequency TEXT NOT NULL DEFAULT '',
    share_attr       TEXT NOT NULL,
    open_attr        TEXT NOT NULL,
    fields_json      TEXT NOT NULL DEFAULT '[]',
    chain_json       TEXT NOT NULL DEFAULT '[]',
    status           TEXT NOT NULL DEFAULT 'draft',
    version          INTEGER NOT NULL DEFAULT 0,
    pending_json     TEXT NOT NULL DEFAULT '',
    submitted_by_id  BIGINT,
    search_text      TEXT NOT NULL DEFAULT '',
    published_at     TIMESTAMP,
    created_by       TEXT NOT NULL,
    created_at       TIMESTAMP NOT NULL,
    updated_at       TIMESTAMP NOT NULL
);
CREATE INDEX catalog_entries_status ON catalog_entries(status, published_at);
CREATE INDEX catalog_entries_org ON catalog_entries(org_id);
CREATE INDEX catalog_entries_category ON catalog_entries(category_id);

-- Resources mounted on an entry (目录资源挂载), with mount approval.
CREATE TABLE catalog_resources (
    id              INTEGER PRIMARY KEY,
    entry_id        BIGINT NOT NULL REFERENCES catalog_entries(id) ON DELETE CASCADE,
    kind            TEXT NOT NULL,
    api_id          BIGINT REFERENCES apis(id) ON DELETE SET NULL,
    name            TEXT NOT NULL,
    description     TEXT NOT NULL DEFAULT '',
    status          TEXT NOT NULL DEFAULT 'pending',
    submitted_by_id BIGINT,
    created_at      TIMESTAMP NOT NULL,
    updated_at      TIMESTAMP NOT NULL
);
CREATE INDEX catalog_resources_entry ON catalog_resources(entry_id);

-- Every step of an entry or a resource: who, when, what, why.
CREATE TABLE catalog_events (
    id          INTEGER PRIMARY KEY,
    entry_id    BIGINT NOT NULL REFERENCES catalog_entries(id) ON DELETE CASCADE,
    resource_id BIGINT,
    action      TEXT NOT NULL,
    actor_id    BIGINT,
    actor_name  TEXT NOT NULL,
    comment     TEXT NOT NULL DEFAULT '',
    at          TIMESTAMP NOT NULL
);
CREATE INDEX catalog_events_entry ON catalog_events(entry_id);

-- 负面清单: an entry (field '') or one of its fields that must not be shared.
CREATE TABLE negative_list (
    id         INTEGER PRIMARY KEY,
    entry_id   BIGINT NOT NULL REFERENCES catalog_entries(id) ON DELETE CASCADE,
    field      TEXT NOT NULL DEFAULT '',
    reason     TEXT NOT NULL,
    created_by TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    UNIQUE (entry_id, field)
);

-- 资源申请: chain_json is the approval chain frozen at submission; level is
-- the index of the level waiting for a decision.
CREATE TABLE share_requests (
    id               INTEGER PRIMARY KEY,
    code             TEXT NOT NULL UNIQUE,
    applicant_id     BIGINT NOT NULL,
    applicant_name   TEXT NOT NULL,
    applicant_org_id BIGINT NOT NULL,
    consumer_id      BIGINT NOT NULL REFERENCES consumers(id),
    entry_id         BIGINT NOT NULL REFERENCES catalog_entries(id),
    resource_id      BIGINT NOT NULL REFERENCES catalog_resources(id),
    fields_json      TEXT NOT NULL,
    purpose          TEXT NOT NULL,
    legal_basis      TEXT NOT NULL,
    period_days      INTEGER NOT NULL,
    expected_daily   BIGINT NOT NULL DEFAULT 0,
    chain_json       TEXT NOT NULL,
    level            INTEGER NOT NULL DEFAULT 0,
    current_org_id   BIGINT,
    status           TEXT NOT NULL DEFAULT 'pending',
    grant_id         BIGINT,
    valid_from       TIMESTAMP,
    valid_to         TIMESTAMP,
    created_at       TIMESTAMP NOT NULL,
    updated_at       TIMESTAMP NOT NULL
);
CREATE INDEX share_requests_todo ON share_requests(status, current_org_id);
CREATE INDEX share_requests_applicant ON share_requests(applicant_id);

CREATE TABLE share_request_events (
    id         INTEGER PRIMARY KEY,
    request_id BIGINT NOT NULL REFERENCES share_requests(id) ON DELETE CASCADE,
    action     TEXT NOT NULL,
    level      INTEGER NOT NULL DEFAULT -1,
    actor_id   BIGINT,
    actor_name TEXT NOT NULL,
    comment    TEXT NOT NULL DEFAULT '',
    at         TIMESTAMP NOT NULL
);
CREATE INDEX share_request_events_request ON share_request_events(request_id);

-- 数据供需: registered → centre_approved → owner_reviewed → supplied → accepted (or rejected).
CREATE TABLE demands (
    id               INTEGER PRIMARY KEY,
    code             TEXT NOT NULL UNIQUE,
    title            TEXT NOT NULL,
    description      TEXT NOT NULL DEFAULT '',
    requester_id     BIGINT NOT NULL,
    requester_name   TEXT NOT NULL,
    requester_org_id BIGINT NOT NULL,
    owner_org_id     BIGINT NOT NULL REFERENCES orgs(id),
    status           TEXT NOT NULL DEFAULT 'registered',
    responsible      TEXT NOT NULL DEFAULT '',
    entry_id         BIGINT REFERENCES catalog_entries(id) ON DELETE SET NULL,
    created_at       TIMESTAMP NOT NULL,
    updated_at       TIMESTAMP NOT NULL
);

CREATE TABLE demand_events (
    id         INTEGER PRIMARY KEY,
    demand_id  BIGINT NOT NULL REFERENCES demands(id) ON DELETE CASCADE,
    action     TEXT NOT NULL,
    actor_id   BIGINT,
    actor_name TEXT NOT NULL,
    comment    TEXT NOT NULL DEFAULT '',
    at         TIMESTAMP NOT NULL
);
CREATE INDEX demand_events_demand ON demand_events(demand_id);

-- In-app notifications (站内通知) for approvers and applicants.
CREATE TABLE notifications (
    id         INTEGER PRIMARY KEY,
    user_id    BIGINT NOT NULL,
    kind       TEXT NOT NULL,
    title      TEXT NOT NULL,
    link       TEXT NOT NULL DEFAULT '',
    created_at TIMESTAMP NOT NULL,
    read_at    TIMESTAMP
);
CREATE INDEX notifications_user ON notifications(user_id, read_at);

-- A grant created by an approved request points back at it.
ALTER TABLE grants ADD COLUMN request_id BIGINT;

-- +goose Down
ALTER TABLE grants DROP COLUMN request_id;
DROP TABLE notifications;
DROP TABLE demand_events;
DROP TABLE demands;
DROP TABLE share_request_events;
DROP TABLE share_requests;
DROP TABLE negative_list;
DROP TABLE catalog_events;
DROP TABLE catalog_resources;
DROP TABLE catalog_entries;
DROP TABLE catalog_categories;
