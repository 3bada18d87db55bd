// Package gendata generates a realistic province for the supervision
// warehouse (xietong gen-data): cities and counties, persons with valid
// 公民身份号码, units with valid 统一社会信用代码, employment histories,
// monthly contributions, pensions and other benefits, deaths, prison terms
// and the other outside data, with anomalies planted for every built-in
// rule and the ground truth (rule, subject, period) returned and written to
// truth.csv.
//
// The data is generated inside DuckDB with SQL: every random choice is a
// hash of (seed, entity, purpose), so the same options give the same rows
// on every run and every engine. PostgreSQL and MySQL-protocol targets get
// the rows generated in a private in-memory DuckDB and copied over.
//
// Normal rows are built to be clean for every rule, and each subject gets
// at most one planted anomaly, so a rule's hits are exactly its truth.
package gendata

import "time"

// The generated window: 36 months of contributions and benefits.
const (
	FirstPeriod = 202201 // first 缴费/待遇所属期
	LastPeriod  = 202412 // last
	Months      = 36
)

// Options control a generation.
type Options struct {
	Persons     int     // AC01 persons (before planted duplicates)
	Seed        int64   // same seed, same data
	AnomalyRate float64 // share of each rule's eligible subjects that get its anomaly (at least one each); 0 means 0.01
	Province    string  // 2-digit code; "" means 52 (贵州)
	OutDir      string  // where truth.csv goes; "" writes no file
	// Progress, if set, is told the rows written so far per table.
	Progress func(table string, rows int64)
}

// Anomaly is one planted suspicious point: a row of the ground truth. Hits
// of the rule library are compared with it on all three fields.
type Anomaly struct {
	Rule    string // rule code, e.g. R1
	Subject string // 公民身份号码 or 统一社会信用代码
	Period  string // YYYYMM, or the rule's stable key
}

// Result is what a generation produced.
type Result struct {
	Truth   []Anomaly
	Rows    map[string]int64 // rows per warehouse table
	Elapsed time.Duration
}

// The window as month indexes (year*12+month-1, see warehouse.MonthIndex).
const (
	mi0 = 2022*12 + 0
	mi1 = 2024*12 + 11
)
