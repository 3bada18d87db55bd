// Package gateway is the data plane: the listener banks and agencies call.
// It reads an immutable in-memory Snapshot of its configuration, never the
// metadata database, and runs each call through a pipeline of stages:
// authenticate → replay → route → authorise → limit → quota → upstream
// (behind a breaker) → filter and mask → encrypt and sign → call log.
package gateway

import (
	"context"
	"crypto/ecdsa"
	"net/netip"
	"net/url"
	"time"

	"github.com/emmansun/gmsm/sm2"
)

// Snapshot is everything the data plane needs, built by the control plane
// and swapped in atomically on change.
type Snapshot struct {
	Version  int64
	Keys     map[string]*Key     // by key id (ak_…)
	DataKeys map[string]*DataKey // by data key id (dk_…)
	APIs     map[string]*API     // by "METHOD path"
	Grants   map[GrantKey]*Grant
	Platform *PlatformKey
}

// Consumer is a calling organisation's application (接入方).
type Consumer struct {
	ID     int64
	Code   string
	Active bool
}

// Key kinds.
const (
	KindHMAC = "hmac"
	KindSM2  = "sm2"
)

// Key is an access key.
type Key struct {
	ID        string
	Consumer  *Consumer
	Kind      string
	Secret    string           // HMAC: the 43-character secret
	Public    *ecdsa.PublicKey // SM2
	ExpiresAt time.Time        // zero: no expiry
	Revoked   bool
}

// DataKey is an SM4 key issued to a consumer.
type DataKey struct {
	ID         string
	ConsumerID int64
	Key        []byte
	ExpiresAt  time.Time
	Revoked    bool
}

// FieldClass puts a response field into a sensitive category (DOMAIN.md).
type FieldClass struct {
	Path     string `json:"path"`
	Category string `json:"category"`
}

// API is a published path and method mapped to an upstream.
type API struct {
	ID       int64
	Code     string
	Method   string
	Path     string
	Upstream *url.URL
	Timeout  time.Duration
	Retries  int
	Fields   []FieldClass
	// Always are paths every grant keeps, whatever its field list: a data
	// API's paging envelope (page, page_size, total, truncated).
	Always []string
	// Backend answers the API in process instead of Upstream (a data API);
	// Upstream then only names its breaker.
	Backend Backend
}

// Backend answers calls in process. It gets the plaintext query and body
// after authentication, authorisation, limits and decryption, and its
// answer goes through the same filtering, masking, encryption and signing
// as an upstream's.
type Backend interface {
	Serve(ctx context.Context, req BackendRequest) BackendResponse
}

// BackendRequest is a call as a Backend sees it.
type BackendRequest struct {
	Method      string
	Query       string // decrypted raw query
	Body        []byte // decrypted body
	ContentType string
	Consumer    string
	CallID      string
}

// BackendResponse is a Backend's answer. Code, when set, is recorded in the
// call log as the reason of a failure; a status of 500 or more counts
// against the API's breaker like an upstream's.
type BackendResponse struct {
	Status      int
	ContentType string
	Body        []byte
	Code        string
}

// GrantKey identifies a grant.
type GrantKey struct{ ConsumerID, APIID int64 }

// Grant is what one consumer may do with one API.
type Grant struct {
	ID           int64
	ConsumerCode string
	APICode      string
	Fields       []string        // granted field paths; empty: every field
	Plain        map[string]bool // categories shown unmasked
	Rate         float64         // requests per second; 0: unlimited
	Burst        int
	QuotaDay     int64 // 0: unlimited
	QuotaMonth   int64
	ValidFrom    time.Time
	ValidTo      time.Time
	Allow        []netip.Prefix // empty: any address
	Methods      map[string]bool
	Active       bool
	// Shaper is the grant compiled against its API's fields (built with the snapshot).
	Shaper *Shaper
}

// PlatformKey signs SM2-SM3 responses.
type PlatformKey struct {
	ID   string
	Priv *sm2.PrivateKey
}
