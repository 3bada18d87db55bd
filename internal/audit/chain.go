package audit

import (
	"encoding/json"
	"time"

	"github.com/xietong/xietong/internal/gm"
)

// genesis is the prev_hash of the first row.
const genesis = "0000000000000000000000000000000000000000000000000000000000000000"

// canonical is the hashed form of a row: a fixed field order, the time in
// RFC 3339 UTC at microseconds (lossless on both dialects).
type canonical struct {
	Seq        int64  `json:"seq"`
	At         string `json:"at"`
	ActorID    *int64 `json:"actor_id"`
	ActorName  string `json:"actor_name"`
	Action     string `json:"action"`
	TargetType string `json:"target_type"`
	TargetID   string `json:"target_id"`
	Before     string `json:"before"`
	After      string `json:"after"`
	ClientIP   string `json:"client_ip"`
	Result     string `json:"result"`
	Detail     string `json:"detail"`
}

// rowHash is SM3(prev_hash ‖ "\n" ‖ canonical JSON of the row).
func rowHash(prev string, e *Event) string {
	c := canonical{
		Seq: e.Seq, At: e.At.UTC().Format(time.RFC3339Nano), ActorID: e.ActorID, ActorName: e.ActorName,
		Action: e.Action, TargetType: e.TargetType, TargetID: e.TargetID, Before: e.Before, After: e.After,
		ClientIP: e.ClientIP, Result: e.Result, Detail: e.Detail,
	}
	b, _ := json.Marshal(c) // a struct of strings and ints cannot fail
	return gm.SM3Hex(append([]byte(prev+"\n"), b...))
}
