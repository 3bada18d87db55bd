package calllog

import (
	"encoding/json"
	"reflect"
	"testing"
	"time"
	"unicode/utf8"
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

// checkDecode: where the fast decoder accepts a line, encoding/json accepts
// it too and reads the same record; decodeRecord always agrees with it.
func checkDecode(t *testing.T, line []byte) {
	t.Helper()
	var want, fast, got Record
	jerr := json.Unmarshal(line, &want)
	ok := decodeFast(line, &fast, &interner{})
	if ok && (jerr != nil || !reflect.DeepEqual(fast, want)) {
		t.Fatalf("%q: fast decoder read\n%+v\nencoding/json: %v\n%+v", line, fast, jerr, want)
	}
	err := decodeRecord(line, &got, nil)
	if (err != nil) != (jerr != nil) || err == nil && !reflect.DeepEqual(got, want) {
		t.Fatalf("%q: decodeRecord %v %+v, encoding/json %v %+v", line, err, got, jerr, want)
	}
}

func TestDecodeRecord(t *testing.T) {
	recs := []Record{
		{CallID: "c1", At: time.Date(2026, 11, 23, 8, 0, 0, 123456000, time.UTC), Method: "GET", Path: "/gw/x", ClientIP: "127.0.0.1", Status: 200},
		{CallID: "c2", At: time.Now().UTC(), ConsumerID: 7, ConsumerCode: "bank", KeyID: "ak_1", APICode: "p", Method: "POST",
			Path: "/gw/\"quote\\\x01<&>\xff中文\u2028", ClientIP: "::1", Status: 429, Code: "gw_rate_limited", LatencyUS: 1234, BytesIn: 5, BytesOut: 6,
			Records: 3, SubjectIndex: "ab", SubjectSealed: []byte{0, 1, 2, 255}},
		{CallID: "c3", At: time.Date(2026, 1, 2, 3, 4, 5, 0, time.FixedZone("", 8*3600)), ConsumerID: -1, LatencyUS: -5, SubjectSealed: []byte{}},
	}
	for i := range recs {
		line := appendRecord(nil, &recs[i])
		if !decodeFast(line, &Record{}, nil) {
			t.Fatalf("the fast decoder refuses what appendRecord wrote: %s", line)
		}
		checkDecode(t, line)
		m, _ := json.Marshal(&recs[i]) // encoding/json's own form (HTML escapes, field order)
		checkDecode(t, m)
	}
	for _, line := range []string{
		``, `{}`, ` { } `, `[]`, `null`, `{"call_id":null}`, `{"at":null}`, `{"status":1.5}`, `{"status":1e2}`, `{"status":-0}`, `{"status":01}`,
		`{"bytes_in":9223372036854775807}`, `{"bytes_in":9223372036854775808}`, `{"bytes_in":-9223372036854775808}`, `{"bytes_in":-9223372036854775809}`,
		`{"status":"200"}`, `{"CALL_ID":"x"}`, `{"unknown":1}`, `{"call_id":"a\u00e9\ud83d\ude00b"}`, `{"call_id":"\ud83d"}`, `{"call_id":"\ude00\ud83d"}`,
		`{"call_id":"\/\b\f\n\r\t\u0000"}`, `{"call_id":"\x"}`, `{"call_id":"a` + "\xff" + `"}`, `{"call_id":"a` + "\x01" + `"}`, `{"path":"a\u0041` + "\xc3\xa9" + `"}`,
		`{"at":"2026-11-23T08:00:00Z"}`, `{"at":"2026-11-23T08:00:00.5+08:00"}`, `{"at":"2026-11-23 08:00:00Z"}`, `{"at":"2026-11-23T24:00:00Z"}`,
		`{"at":"2026-11-23T08:00:00\u005a"}`, `{"subject_sealed":"AAEC/w=="}`, `{"subject_sealed":"AAEC/w="}`, `{"subject_sealed":""}`, `{"subject_sealed":null}`,
		`{"call_id":"a","call_id":"b"}`, `{"call_id":"a",}`, `{"call_id":"a"} x`, `{"call_id":"a"`, `{"call_id" "a"}`, `{"records":3,"status":200}`,
	} {
		checkDecode(t, []byte(line))
	}
}

func FuzzDecodeRecord(f *testing.F) {
	r := Record{CallID: "c2", At: time.Now().UTC(), ConsumerID: 7, ConsumerCode: "bank", KeyID: "ak_1", APICode: "p", Method: "POST",
		Path: "/gw/\"q\\\x01<&>中文", ClientIP: "::1", Status: 429, Code: "gw_x", LatencyUS: 1234, BytesIn: 5, BytesOut: 6, Records: 3,
		SubjectIndex: "ab", SubjectSealed: []byte{0, 1, 2, 255}}
	f.Add(appendRecord(nil, &r))
	f.Add([]byte(`{"call_id":"\ud83d\ude00","status":-0,"at":"2026-11-23T08:00:00.5+08:00"}`))
	f.Fuzz(func(t *testing.T, line []byte) { checkDecode(t, line) })
}

// refAppendString is appendString before it copied runs whole.
func refAppendString(b []byte, s string) []byte {
	const hex = "0123456789abcdef"
	b = append(b, '"')
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			switch {
			case c == '"' || c == '\\':
				b = append(b, '\\', c)
			case c < 0x20 || c == '<' || c == '>' || c == '&':
				b = append(b, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xF])
			default:
				b = append(b, c)
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			b = append(b, `\ufffd`...)
		} else {
			b = append(b, s[i:i+size]...)
		}
		i += size
	}
	return append(b, '"')
}

func FuzzAppendString(f *testing.F) {
	for _, s := range []string{"", "plain", "/gw/\"quote\\\x01<&>\xff中文", "\xe4\xb8", "a\u2028b\x7f"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, want := appendString([]byte("x"), s), refAppendString([]byte("x"), s)
		if string(got) != string(want) {
			t.Fatalf("%q: %s, want %s", s, got, want)
		}
		var back string
		if err := json.Unmarshal(got[1:], &back); err != nil || utf8.ValidString(s) && back != s {
			t.Fatalf("%q reads back as %q (%v)", s, back, err)
		}
	})
}
