-- +goose Up
-- Identity and access: organisations, users, sessions, roles, menus, URL resources.
CREATE TABLE orgs (
    id          INTEGER PRIMARY KEY,
    parent_id   BIGINT REFERENCES orgs(id),
    code        TEXT NOT NULL UNIQUE,
    name        TEXT NOT NULL,
    kind        TEXT NOT NULL,
    region_code TEXT NOT NULL DEFAULT '',
    sort        INTEGER NOT NULL DEFAULT 0,
    created_at  TIMESTAMP NOT NULL,
    updated_at  TIMESTAMP NOT NULL
);
CREATE INDEX orgs_parent ON orgs(parent_id);

CREATE TABLE users (
    id                   INTEGER PRIMARY KEY,
    username             TEXT NOT NULL UNIQUE,
    display_name         TEXT NOT NULL,
    org_id               BIGINT NOT NULL REFERENCES orgs(id),
    phone                TEXT NOT NULL DEFAULT '',
    email                TEXT NOT NULL DEFAULT '',
    status               TEXT NOT NULL DEFAULT 'active',
    password_hash        TEXT NOT NULL,
    must_change_password BOOLEAN NOT NULL DEFAULT TRUE,
    password_changed_at  TIMESTAMP NOT NULL,
    failed_logins        INTEGER NOT NULL DEFAULT 0,
    locked_until         TIMESTAMP,
    last_login_at        TIMESTAMP,
    created_at           TIMESTAMP NOT NULL,
    updated_at           TIMESTAMP NOT NULL
);
CREATE INDEX users_org ON users(org_id);

CREATE TABLE password_history (
    user_id       BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    password_hash TEXT NOT NULL,
    created_at    TIMESTAMP NOT NULL
);
CREATE INDEX password_history_user ON password_history(user_id, created_at);

-- The session id itself is never stored: id_hash is SM3(id).
CREATE TABLE sessions (
    id_hash      TEXT PRIMARY KEY,
    user_id      BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    csrf_token   TEXT NOT NULL,
    client_ip    TEXT NOT NULL DEFAULT '',
    user_agent   TEXT NOT NULL DEFAULT '',
    created_at   TIMESTAMP NOT NULL,
    last_seen_at TIMESTAMP NOT NULL,
    expires_at   TIMESTAMP NOT NULL
);
CREATE INDEX sessions_user ON sessions(user_id);

CREATE TABLE settings (
    key        TEXT PRIMARY KEY,
    value      TEXT NOT NULL,
    updated_at TIMESTAMP NOT NULL
);

-- 接入系统: systems integrated into the portal.
CREATE TABLE systems (
    id               INTEGER PRIMARY KEY,
    code             TEXT NOT NULL UNIQUE,
    name             TEXT NOT NULL,
    integration_mode TEXT NOT NULL,
    base_url         TEXT NOT NULL DEFAULT '',
    description      TEXT NOT NULL DEFAULT '',
    enabled          BOOLEAN NOT NULL DEFAULT TRUE,
    created_at       TIMESTAMP NOT NULL,
    updated_at       TIMESTAMP NOT NULL
);

-- 菜单资源: directories, menus and buttons, optionally bound to a system.
CREATE TABLE menus (
    id           INTEGER PRIMARY KEY,
    parent_id    BIGINT REFERENCES menus(id),
    system_id    BIGINT REFERENCES systems(id),
    type         TEXT NOT NULL,
    code         TEXT NOT NULL UNIQUE,
    name_zh      TEXT NOT NULL,
    name_en      TEXT NOT NULL DEFAULT '',
    path         TEXT NOT NULL DEFAULT '',
    external_url TEXT NOT NULL DEFAULT '',
    icon         TEXT NOT NULL DEFAULT '',
    sort         INTEGER NOT NULL DEFAULT 0,
    builtin      BOOLEAN NOT NULL DEFAULT FALSE,
    created_at   TIMESTAMP NOT NULL,
    updated_at   TIMESTAMP NOT NULL
);
CREATE INDEX menus_parent ON menus(parent_id);

-- URL资源: a method and a route pattern; the server authorises requests by them.
CREATE TABLE url_resources (
    id         INTEGER PRIMARY KEY,
    code       TEXT NOT NULL UNIQUE,
    name       TEXT NOT NULL,
    method     TEXT NOT NULL,
    pattern    TEXT NOT NULL,
    builtin    BOOLEAN NOT NULL DEFAULT FALSE,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    UNIQUE (method, pattern)
);

CREATE TABLE menu_resources (
    menu_id     BIGINT NOT NULL REFERENCES menus(id) ON DELETE CASCADE,
    resource_id BIGINT NOT NULL REFERENCES url_resources(id) ON DELETE CASCADE,
    PRIMARY KEY (menu_id, resource_id)
);

-- 管理角色: a hierarchy; admin_kind marks the three admins (三员).
CREATE TABLE management_roles (
    id          INTEGER PRIMARY KEY,
    parent_id   BIGINT REFERENCES management_roles(id),
    code        TEXT NOT NULL UNIQUE,
    name        TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    admin_kind  TEXT NOT NULL DEFAULT '',
    builtin     BOOLEAN NOT NULL DEFAULT FALSE,
    created_at  TIMESTAMP NOT NULL,
    updated_at  TIMESTAMP NOT NULL
);

-- 业务角色: owned by the management role under which it was created.
CREATE TABLE business_roles (
    id            INTEGER PRIMARY KEY,
    code          TEXT NOT NULL UNIQUE,
    name          TEXT NOT NULL,
    description   TEXT NOT NULL DEFAULT '',
    owner_role_id BIGINT REFERENCES management_roles(id),
    created_at    TIMESTAMP NOT NULL,
    updated_at    TIMESTAMP NOT NULL
);

CREATE TABLE mrole_use_menus (
    role_id BIGINT NOT NULL REFERENCES management_roles(id) ON DELETE CASCADE,
    menu_id BIGINT NOT NULL REFERENCES menus(id) ON DELETE CASCADE,
    PRIMARY KEY (role_id, menu_id)
);
CREATE TABLE mrole_assign_menus (
    role_id BIGINT NOT NULL REFERENCES management_roles(id) ON DELETE CASCADE,
    menu_id BIGINT NOT NULL REFERENCES menus(id) ON DELETE CASCADE,
    PRIMARY KEY (role_id, menu_id)
);
CREATE TABLE mrole_orgs (
    role_id BIGINT NOT NULL REFERENCES management_roles(id) ON DELETE CASCADE,
    org_id  BIGINT NOT NULL REFERENCES orgs(id) ON DELETE CASCADE,
    PRIMARY KEY (role_id, org_id)
);
CREATE TABLE mrole_business_roles (
    role_id  BIGINT NOT NULL REFERENCES management_roles(id) ON DELETE CASCADE,
    brole_id BIGINT NOT NULL REFERENCES business_roles(id) ON DELETE CASCADE,
    PRIMARY KEY (role_id, brole_id)
);
CREATE TABLE brole_menus (
    role_id BIGINT NOT NULL REFERENCES business_roles(id) ON DELETE CASCADE,
    menu_id BIGINT NOT NULL REFERENCES menus(id) ON DELETE CASCADE,
    PRIMARY KEY (role_id, menu_id)
);
CREATE TABLE user_management_roles (
    user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    role_id BIGINT NOT NULL REFERENCES management_roles(id) ON DELETE CASCADE,
    PRIMARY KEY (user_id, role_id)
);
CREATE TABLE user_business_roles (
    user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    role_id BIGINT NOT NULL REFERENCES business_roles(id) ON DELETE CASCADE,
    PRIMARY KEY (user_id, role_id)
);

-- +goose Down
DROP TABLE user_business_roles;
DROP TABLE user_management_roles;
DROP TABLE brole_menus;
DROP TABLE mrole_business_roles;
DROP TABLE mrole_orgs;
DROP TABLE mrole_assign_menus;
DROP TABLE mrole_use_menus;
DROP TABLE business_roles;
DROP TABLE management_roles;
DROP TABLE menu_resources;
DROP TABLE url_resources;
DROP TABLE menus;
DROP TABLE systems;
DROP TABLE settings;
DROP TABLE sessions;
DROP TABLE password_history;
DROP TABLE users;
DROP TABLE orgs;
