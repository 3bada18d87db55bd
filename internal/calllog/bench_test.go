package calllog

import (
	"context"
	"io"
	"log/slog"
	"path/filepath"
	"testing"
	"time"

	"github.com/xietong/xietong/internal/db"
)

// benchRound is how many calls the journal gains between two rounds of
// serve's ingester child at the gateway benchmark's rate (≈ 8 k calls/s,
// one round every 500 ms).
const benchRound = 4000

// benchRecord is a gateway call as the HMAC benchmark makes it.
func benchRecord() *Record {
	return &Record{CallID: NewCallID(time.Now()), At: time.Now().UTC(), ConsumerID: 1, ConsumerCode: "bench-bank",
		KeyID: "ak_0123456789abcdef", APICode: "bench-person", Method: "GET", Path: "/gw/bench/person", ClientIP: "127.0.0.1", Status: 200,
		LatencyUS: 812, BytesOut: 955, Records: 1, SubjectIndex: "4f1c2b9a8e7d6c5b4a39281706f5e4d3c2b1a09f8e7d6c5b4a3928170f6e5d4c",
		SubjectSealed: make([]byte, 46)}
}

// benchIngester opens a migrated SQLite database whose gateway_calls table
// already holds prefill rows, and a journal; batch is the records per
// transaction (serve's child: 8,192; 0: the in-process ingester's default).
func benchIngester(b *testing.B, prefill, batch int) (*Ingester, *Journal, *db.DB) {
	dir := b.TempDir()
	d, err := db.Open(context.Background(), db.SQLite, filepath.Join(dir, "x.db"))
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { d.Close() })
	if err := d.Migrate(context.Background()); err != nil {
		b.Fatal(err)
	}
	if prefill > 0 {
		if _, err := d.Exec(context.Background(), `WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n WHERE x < ?)
			INSERT INTO gateway_calls (call_id, at, consumer_id, consumer_code, key_id, api_code, method, path, client_ip, status, latency_us,
				bytes_out, records, subject_index, subject_sealed)
			SELECT substr(hex(randomblob(12)), 1, 16), datetime('now', '-' || x || ' seconds'), NULL, 'bench-bank', 'ak_0123456789abcdef', 'bench-person',
				'GET', '/gw/bench/person', '127.0.0.1', 200, 800, 955, 1, lower(hex(randomblob(32))), randomblob(46) FROM n`, prefill); err != nil {
			b.Fatal(err)
		}
	}
	j, err := OpenJournal(filepath.Join(dir, "calls"))
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { j.Close() })
	in := NewIngester(d, filepath.Join(dir, "calls"), slog.New(slog.NewTextHandler(io.Discard, nil)))
	if batch > 0 {
		in.WithBatch(batch)
	}
	return in, j, d
}

// ingestCases are the ingesters' configurations at the gateway benchmark's
// rate (≈ 10 k calls/s): the child's rounds of 500 ms, and the in-process
// ingester's of 200 ms and, as it was before, of 50 ms — a round's fixed
// cost (each index's edge pages written to the WAL at every commit) is
// what the longer rounds save.
var ingestCases = []struct {
	name                  string
	prefill, round, batch int
}{
	{"child/empty", 0, benchRound, 8192},
	{"child/200k", 200000, benchRound, 8192},
	{"inline-200ms/200k", 200000, 2000, 0},
	{"inline-50ms/200k", 200000, 500, 0},
}

// BenchmarkIngest: one op is one call record moved from the journal into
// gateway_calls, in rounds of the case's size (the journal appends are
// outside the timer; BenchmarkIngestSetup measures them alone for
// instruction counts).
func BenchmarkIngest(b *testing.B) {
	for _, c := range ingestCases {
		b.Run(c.name, func(b *testing.B) {
			in, j, d := benchIngester(b, c.prefill, c.batch)
			recs := make([]*Record, c.round)
			for i := range recs {
				recs[i] = benchRecord()
			}
			b.ReportAllocs()
			b.ResetTimer()
			for done := 0; done < b.N; {
				n := min(c.round, b.N-done)
				b.StopTimer()
				for _, r := range recs[:n] {
					r.CallID = benchRecord().CallID
					if err := j.Append(r); err != nil {
						b.Fatal(err)
					}
				}
				b.StartTimer()
				got, err := in.Once(context.Background())
				if err != nil || got != n {
					b.Fatalf("ingested %d of %d: %v", got, n, err)
				}
				done += n
			}
			b.StopTimer()
			var count int
			d.QueryRow(context.Background(), "SELECT COUNT(*) FROM gateway_calls").Scan(&count)
			if count != c.prefill+b.N {
				b.Fatalf("%d rows, want %d", count, c.prefill+b.N)
			}
		})
	}
}

// BenchmarkIngestSetup is BenchmarkIngest without the ingester.
func BenchmarkIngestSetup(b *testing.B) {
	for _, c := range ingestCases {
		b.Run(c.name, func(b *testing.B) {
			_, j, _ := benchIngester(b, c.prefill, c.batch)
			recs := make([]*Record, c.round)
			for i := range recs {
				recs[i] = benchRecord()
			}
			b.ReportAllocs()
			b.ResetTimer()
			for done := 0; done < b.N; {
				n := min(c.round, b.N-done)
				for _, r := range recs[:n] {
					r.CallID = benchRecord().CallID
					if err := j.Append(r); err != nil {
						b.Fatal(err)
					}
				}
				done += n
			}
		})
	}
}

// BenchmarkAppend: one call record encoded and written to the journal.
func BenchmarkAppend(b *testing.B) {
	j, err := OpenJournal(b.TempDir())
	if err != nil {
		b.Fatal(err)
	}
	defer j.Close()
	r := benchRecord()
	r.Path = "/gw/bench/person?with=\"quotes\"&中文"
	b.ReportAllocs()
	for b.Loop() {
		if err := j.Append(r); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkAppendRecord: the encoding alone.
func BenchmarkAppendRecord(b *testing.B) {
	r := benchRecord()
	buf := make([]byte, 0, 1024)
	b.ReportAllocs()
	for b.Loop() {
		buf = appendRecord(buf[:0], r)
	}
}
