package calllog

import (
	"encoding/json"
	"reflect"
	"testing"
	"time"
)

// TestAppendRecordMatchesJSON: the hand-written encoding reads back as the
// same record, including hostile paths.
func TestAppendRecordMatchesJSON(t *testing.T) {
	for _, r := range []Record{
		{CallID: "c1", At: time.Date(2026, 11, 23, 8, 0, 0, 123456000, time.UTC), Method: "GET", Path: "/gw/x", ClientIP: "127.0.0.1", Status: 200},
		{CallID: "c2", At: time.Now().UTC(), ConsumerID: 7, ConsumerCode: "bank", KeyID: "ak_1", APICode: "p", Method: "POST",
			Path: "/gw/\"quote\\\x01<&>\xff中文", ClientIP: "::1", Status: 429, Code: "gw_rate_limited", LatencyUS: 1234, BytesIn: 5, BytesOut: 6,
			Records: 3, SubjectIndex: "ab", SubjectSealed: []byte{0, 1, 2, 255}},
	} {
		line := appendRecord(nil, &r)
		var back Record
		if err := json.Unmarshal(line, &back); err != nil {
			t.Fatalf("%s: %v", line, err)
		}
		want := r
		if want.Path == "/gw/\"quote\\\x01<&>\xff中文" {
			want.Path = "/gw/\"quote\\\x01<&>\ufffd中文"
		}
		if !reflect.DeepEqual(back, want) {
			t.Fatalf("round trip:\n%+v\n%+v", back, want)
		}
	}
}
