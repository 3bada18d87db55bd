-- +goose Up
-- Warehouse loads (数据装载) started from the console: a file uploaded into
-- the data dir, or a data-source table read incrementally by a watermark
-- column, loaded into one warehouse table. The load itself is one
-- transaction on the warehouse; this table is its history and progress.

-- A load: queued → running → succeeded | failed | cancelled. Progress is
-- written every second while it runs. bad_rows_json keeps the first 1000
-- bad rows (rows_bad counts them all). datasource_id has no foreign key:
-- the history outlives a deleted source (datasource_name keeps its name).
-- stored_name is the uploaded file inside <data_dir>/loads, removed when
-- the load ends.
CREATE TABLE wh_loads (
    id               INTEGER PRIMARY KEY,
    kind             TEXT NOT NULL,
    target_table     TEXT NOT NULL,
    mode             TEXT NOT NULL,
    encoding         TEXT NOT NULL DEFAULT '',
    sheet            TEXT NOT NULL DEFAULT '',
    file_name        TEXT NOT NULL DEFAULT '',
    file_size        BIGINT NOT NULL DEFAULT 0,
    stored_name      TEXT NOT NULL DEFAULT '',
    datasource_id    BIGINT,
    datasource_name  TEXT NOT NULL DEFAULT '',
    source_table     TEXT NOT NULL DEFAULT '',
    watermark_column TEXT NOT NULL DEFAULT '',
    watermark_after  TEXT NOT NULL DEFAULT '',
    status           TEXT NOT NULL,
    rows_read        BIGINT NOT NULL DEFAULT 0,
    rows_loaded      BIGINT NOT NULL DEFAULT 0,
    rows_bad         BIGINT NOT NULL DEFAULT 0,
    bytes_read       BIGINT NOT NULL DEFAULT 0,
    bytes_total      BIGINT NOT NULL DEFAULT 0,
    encoding_used    TEXT NOT NULL DEFAULT '',
    ignored_json     TEXT NOT NULL DEFAULT '[]',
    bad_rows_json    TEXT NOT NULL DEFAULT '[]',
    error            TEXT NOT NULL DEFAULT '',
    created_by       TEXT NOT NULL,
    queued_at        TIMESTAMP NOT NULL,
    started_at       TIMESTAMP,
    finished_at      TIMESTAMP
);
CREATE INDEX wh_loads_status ON wh_loads(status);
CREATE INDEX wh_loads_table ON wh_loads(target_table, id);

-- +goose Down
DROP TABLE wh_loads;
