// Package audit is the tamper-evident audit log (审计日志). Every row is
// chained to the one before by SM3, so `xietong audit verify` can name the
// first row that was edited or removed.
package audit

import (
	"context"
	"time"
)

// Event is one audited action.
type Event struct {
	Seq        int64     `json:"seq"`
	At         time.Time `json:"at"`
	ActorID    *int64    `json:"actor_id"`
	ActorName  string    `json:"actor_name"`
	Action     string    `json:"action"`
	TargetType string    `json:"target_type"`
	TargetID   string    `json:"target_id"`
	Before     string    `json:"before"`
	After      string    `json:"after"`
	ClientIP   string    `json:"client_ip"`
	Result     string    `json:"result"` // "ok" or "denied" or "failed"
	Detail     string    `json:"detail"`
	PrevHash   string    `json:"-"`
	Hash       string    `json:"-"`
}

// Results recorded in Event.Result.
const (
	ResultOK     = "ok"
	ResultDenied = "denied"
	ResultFailed = "failed"
)

// Actor is who acts in a request; the identity middleware puts it in the
// context so that services need not pass it around.
type Actor struct {
	ID   int64
	Name string
	IP   string
}

type actorKey struct{}

// WithActor returns ctx carrying a.
func WithActor(ctx context.Context, a Actor) context.Context {
	return context.WithValue(ctx, actorKey{}, a)
}

// ActorFrom returns the actor in ctx (zero when none, e.g. the CLI).
func ActorFrom(ctx context.Context) Actor {
	a, _ := ctx.Value(actorKey{}).(Actor)
	return a
}

// Filter selects events for search and export.
type Filter struct {
	From, To time.Time
	Actor    string
	Action   string
	Target   string
	Result   string
	Limit    int
	Offset   int
}

// VerifyResult is the outcome of checking the chain.
type VerifyResult struct {
	OK          bool   `json:"ok"`
	Checked     int64  `json:"checked"`
	FirstBadSeq int64  `json:"first_bad_seq,omitempty"`
	Reason      string `json:"reason,omitempty"`
}
