// Package datasource manages data sources (数据源): the bureau's databases,
// file servers and HTTP APIs that data APIs and loaders read from, in
// groups, with their secrets sealed at rest and a connectivity test per kind.
// How each kind is opened and probed lives in the connect subpackage.
package datasource

import "time"

// Group is a folder of data sources (数据源分组).
type Group struct {
	ID        int64     `json:"id"`
	Name      string    `json:"name"`
	Sort      int       `json:"sort"`
	Count     int       `json:"count"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
}

// Pool is the connection pool of a SQL source.
type Pool struct {
	MaxOpen         int `json:"max_open"`
	MaxIdle         int `json:"max_idle"`
	LifetimeSeconds int `json:"lifetime_seconds"`
}

// LastTest is the outcome of the latest connectivity test.
type LastTest struct {
	OK   bool      `json:"ok"`
	Code string    `json:"code"`
	At   time.Time `json:"at"`
}

// Source is a data source as the console shows it: never its secrets.
type Source struct {
	ID            int64             `json:"id"`
	Code          string            `json:"code"`
	Name          string            `json:"name"`
	Kind          string            `json:"kind"`
	GroupID       *int64            `json:"group_id"`
	GroupName     string            `json:"group_name"`
	Host          string            `json:"host"`
	Port          int               `json:"port"`
	Database      string            `json:"database"`
	Username      string            `json:"username"`
	HasPassword   bool              `json:"has_password"`
	HasPrivateKey bool              `json:"has_private_key"`
	Options       map[string]string `json:"options"`
	Pool          Pool              `json:"pool"`
	Description   string            `json:"description"`
	UsedBy        int               `json:"used_by"`
	LastTest      *LastTest         `json:"last_test"`
	CreatedAt     time.Time         `json:"created_at"`
	UpdatedAt     time.Time         `json:"updated_at"`

	passwordSealed, keySealed []byte
	lastTestCode              string
}

// Input is what a client may set on a source. Password and PrivateKey are
// write-only: empty keeps the stored one unless ClearSecret is set.
type Input struct {
	ID          int64             `json:"id"` // only for testing an edited, unsaved form
	Code        string            `json:"code"`
	Name        string            `json:"name"`
	Kind        string            `json:"kind"`
	GroupID     *int64            `json:"group_id"`
	Host        string            `json:"host"`
	Port        int               `json:"port"`
	Database    string            `json:"database"`
	Username    string            `json:"username"`
	Password    string            `json:"password"`
	PrivateKey  string            `json:"private_key"`
	ClearSecret bool              `json:"clear_secret"`
	Options     map[string]string `json:"options"`
	Pool        *Pool             `json:"pool"`
	Description string            `json:"description"`
}

// GroupInput is what a client may set on a group.
type GroupInput struct {
	Name string `json:"name"`
	Sort int    `json:"sort"`
}

// MoveInput moves sources into a group (nil: ungrouped) — 分组迁移.
type MoveInput struct {
	IDs     []int64 `json:"ids"`
	GroupID *int64  `json:"group_id"`
}
