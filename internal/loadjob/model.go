// Package loadjob runs warehouse loads (数据装载) for the console while
// `xietong serve` holds the warehouse: a CSV, Excel or Parquet file
// uploaded into <data_dir>/loads, or a data-source table read
// incrementally by a watermark column, loaded into one warehouse table by
// internal/warehouse/load in one transaction (a cancel leaves nothing).
//
// A job's progress is kept in memory and written to the metadata store
// every second and at the end; the first MaxKeptBadRows bad rows are kept
// with the job (their count is exact) and can be exported as CSV. One load
// runs at a time per warehouse table, and at most Options.MaxConcurrent
// at once; the others wait queued.
package loadjob

import (
	"time"

	"github.com/xietong/xietong/internal/warehouse/load"
)

// Kinds of load.
const (
	KindFile       = "file"
	KindDatasource = "datasource"
)

// States of a job.
const (
	StatusQueued    = "queued"
	StatusRunning   = "running"
	StatusSucceeded = "succeeded" // committed; bad rows may have been left out
	StatusFailed    = "failed"    // nothing committed (an error, or the server stopped)
	StatusCancelled = "cancelled" // nothing committed
)

// Statuses lists the states, for filters.
var Statuses = []string{StatusQueued, StatusRunning, StatusSucceeded, StatusFailed, StatusCancelled}

// MaxKeptBadRows bounds the bad rows kept with a job; Job.Bad counts all.
const MaxKeptBadRows = 1000

// Job is one load as the console shows it.
type Job struct {
	ID       int64  `json:"id"`
	Kind     string `json:"kind"`  // file | datasource
	Table    string `json:"table"` // the warehouse table
	Mode     string `json:"mode"`  // append | replace
	Encoding string `json:"encoding"`
	Sheet    string `json:"sheet"`
	// Files.
	FileName string `json:"file_name"`
	FileSize int64  `json:"file_size"`
	// Data-source tables.
	DatasourceID    *int64 `json:"datasource_id"`
	DatasourceName  string `json:"datasource_name"`
	SourceTable     string `json:"source_table"`
	WatermarkColumn string `json:"watermark_column"`
	WatermarkAfter  string `json:"watermark_after"` // the watermark once the load committed

	Status       string   `json:"status"`
	Read         int64    `json:"read"`
	Loaded       int64    `json:"loaded"` // rows written (in the open transaction while running; 0 unless succeeded once done)
	Bad          int64    `json:"bad"`
	Bytes        int64    `json:"bytes"`
	TotalBytes   int64    `json:"total_bytes"` // 0 when unknown (data-source tables)
	EncodingUsed string   `json:"encoding_used"`
	Ignored      []string `json:"ignored"` // source columns not loaded
	Error        string   `json:"error"`   // never a password or a DSN

	CreatedBy  string     `json:"created_by"`
	QueuedAt   time.Time  `json:"queued_at"`
	StartedAt  *time.Time `json:"started_at"`
	FinishedAt *time.Time `json:"finished_at"`
	DurationMS int64      `json:"duration_ms"` // started → finished, or → now while running

	storedName string // the upload's file in the loads directory
	badRows    []load.BadRow
}

// Detail is a job with its kept bad rows.
type Detail struct {
	*Job
	BadRows []load.BadRow `json:"bad_rows"`
}

// Active reports whether the job may still change (and be cancelled).
func (j *Job) Active() bool { return j.Status == StatusQueued || j.Status == StatusRunning }

// FileInput is what a file load asks for (multipart form fields).
type FileInput struct {
	Table    string `json:"table"`
	Mode     string `json:"mode"`     // append (default) | replace
	Encoding string `json:"encoding"` // auto (default) | utf-8 | gbk | gb18030
	Sheet    string `json:"sheet"`    // Excel: the sheet; "" is the first
}

// SourceInput is what a data-source load asks for.
type SourceInput struct {
	DatasourceID int64  `json:"datasource_id"`
	SourceTable  string `json:"source_table"` // table or schema.table on the source
	Watermark    string `json:"watermark"`    // a column whose value only grows
	Table        string `json:"table"`
	Mode         string `json:"mode"`
}

// Filter selects jobs for the list.
type Filter struct {
	Status string
	Table  string
	Limit  int
	Offset int
}

// TableInfo is a warehouse table as the load form shows it.
type TableInfo struct {
	Name    string       `json:"name"`
	Comment string       `json:"comment"`
	Key     []string     `json:"key"`
	Columns []ColumnInfo `json:"columns"`
	Rows    int64        `json:"rows"`
	Busy    bool         `json:"busy"` // a load of this table is queued or running
}

// ColumnInfo is one column: what a file must (or may) hold.
type ColumnInfo struct {
	Name     string `json:"name"`
	Type     string `json:"type"`
	Comment  string `json:"comment"`
	Required bool   `json:"required"` // NOT NULL and not computed: the header must have it
	Computed bool   `json:"computed"` // a helper column computed at load; a source column of that name is ignored
}

// Tables answers GET /warehouse/tables.
type Tables struct {
	Tables       []TableInfo `json:"tables"`
	MaxFileBytes int64       `json:"max_file_bytes"`
	FileTypes    []string    `json:"file_types"`
}

// SourceOption is a data source a table can be loaded from.
type SourceOption struct {
	ID   int64  `json:"id"`
	Code string `json:"code"`
	Name string `json:"name"`
	Kind string `json:"kind"`
}
