// Package dataapi turns a SQL query into a governed API (数据API): an
// engineer writes a template with typed parameters over a data source,
// tries it in the console, submits it, and a reviewer other than the
// author approves it (审核); the approved version is published as a gateway
// API, so grants, masking, quotas, encryption and the call log apply to it
// like to any other. Each submission is a version; an earlier approved
// version can be published again (rollback).
package dataapi

import (
	"time"

	"github.com/xietong/xietong/internal/dataapi/sqltpl"
)

// Def is what a version freezes: the query and how it is called and answered.
type Def struct {
	SQL          string         `json:"sql"`
	Params       []sqltpl.Param `json:"params"`
	Paging       Paging         `json:"paging"`
	Sortable     []string       `json:"sortable"`
	DefaultSort  string         `json:"default_sort"` // "col" or "-col"
	Fields       []Field        `json:"fields"`
	CacheSeconds int            `json:"cache_seconds"`
	TimeoutMS    int            `json:"timeout_ms"`
	MaxRows      int            `json:"max_rows"`
}

// Paging says whether callers page through results, and how far.
type Paging struct {
	Enabled     bool `json:"enabled"`
	DefaultSize int  `json:"default_size"`
	MaxSize     int  `json:"max_size"`
}

// Field describes a result column; Category puts it in a sensitive
// category the gateway masks unless a grant allows plaintext.
type Field struct {
	Name        string `json:"name"`
	Type        string `json:"type"`
	Description string `json:"description"`
	Category    string `json:"category"`
}

// API statuses.
const (
	StatusDraft     = "draft"
	StatusPending   = "pending"
	StatusPublished = "published"
	StatusRejected  = "rejected"
	StatusOffline   = "offline"
)

// DataAPI is a data API as the console shows it.
type DataAPI struct {
	ID               int64     `json:"id"`
	Code             string    `json:"code"`
	Name             string    `json:"name"`
	Description      string    `json:"description"`
	SourceID         int64     `json:"source_id"`
	SourceName       string    `json:"source_name"`
	SourceKind       string    `json:"source_kind"`
	Method           string    `json:"method"`
	Path             string    `json:"path"`
	Status           string    `json:"status"`
	Draft            Def       `json:"draft"`
	DraftChanged     bool      `json:"draft_changed"`
	PublishedVersion *int      `json:"published_version"`
	PendingVersion   *int      `json:"pending_version"`
	GatewayAPIID     *int64    `json:"gateway_api_id"`
	GatewayAPICode   string    `json:"gateway_api_code"`
	CreatedBy        string    `json:"created_by"`
	UpdatedBy        string    `json:"updated_by"`
	CreatedAt        time.Time `json:"created_at"`
	UpdatedAt        time.Time `json:"updated_at"`
}

// Version statuses.
const (
	VersionPending  = "pending"
	VersionApproved = "approved"
	VersionRejected = "rejected"
)

// Version is one submission of a data API.
type Version struct {
	ID            int64      `json:"-"`
	DataAPIID     int64      `json:"api_id"`
	APICode       string     `json:"api_code,omitempty"`
	APIName       string     `json:"api_name,omitempty"`
	Version       int        `json:"version"`
	Status        string     `json:"status"`
	SourceID      int64      `json:"source_id"`
	Method        string     `json:"method"`
	Path          string     `json:"path"`
	Def           Def        `json:"def"`
	SubmittedByID int64      `json:"-"`
	SubmittedBy   string     `json:"submitted_by"`
	SubmittedAt   time.Time  `json:"submitted_at"`
	SubmitComment string     `json:"submit_comment"`
	ReviewedBy    string     `json:"reviewed_by"`
	ReviewedAt    *time.Time `json:"reviewed_at"`
	ReviewComment string     `json:"review_comment"`
	Published     bool       `json:"published"`
}

// Input is what the author sets on a data API.
type Input struct {
	Code        string `json:"code"`
	Name        string `json:"name"`
	Description string `json:"description"`
	SourceID    int64  `json:"source_id"`
	Method      string `json:"method"`
	Path        string `json:"path"`
	Draft       Def    `json:"draft"`
}

// TryInput runs a definition, saved or not, with sample values.
type TryInput struct {
	SourceID int64             `json:"source_id"`
	Draft    Def               `json:"draft"`
	Values   map[string]string `json:"values"`
	Page     int               `json:"page"`
	PageSize int               `json:"page_size"`
	Sort     string            `json:"sort"`
}

// TryResult is what a try returns to the author.
type TryResult struct {
	Columns   []string         `json:"columns"`
	Rows      []map[string]any `json:"rows"`
	Total     *int64           `json:"total"`
	Truncated bool             `json:"truncated"`
	ElapsedMS int64            `json:"elapsed_ms"`
	SQL       string           `json:"sql"`
}

// ReviewInput is a reviewer's decision.
type ReviewInput struct {
	Version  int    `json:"version"`
	Decision string `json:"decision"` // approve | reject
	Comment  string `json:"comment"`
}
