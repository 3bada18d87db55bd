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
// one round every 500 ms). Rounds of 400 (the in-process ingester's 50 ms)
// cost ≈ 3.5× as much per record.
const benchRound = 4000

// benchRecord is a gateway call as the HMAC benchmark makes it.
func benchRecord() *Record {
	return &Record{CallID: NewCallID(time.Now()), At: time.Now().UTC(), ConsumerID: 1, ConsumerCode: "bench-bank",
		KeyID: "ak_0123456789abcdef", APICode: "bench-person", Method: "GET", Path: "/gw/bench/person", ClientIP: "127.0.0.1", Status: 200,
		LatencyUS: 812, BytesOut: 955, Records: 1, SubjectIndex: "4f1c2b9a8e7d6c5b4a39281706f5e4d3c2b1a09f8e7d6c5b4a3928170f6e5d4c",
		SubjectSealed: make([]byte, 46)}
}

// benchIngester opens a migrated SQLite database whose gateway_calls table
// already holds prefill rows, and a journal; configured as serve's
// ingester child configures it (bulk-insert pragmas, 8,192 records per
// transaction).
func benchIngester(b *testing.B, prefill int) (*Ingester, *Journal, *db.DB) {
	dir := b.TempDir()
	d, err := db.Open(context.Background(), db.SQLite, filepath.Join(dir, "x.db"), db.BulkInserts())
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
	return NewIngester(d, filepath.Join(dir, "calls"), slog.New(slog.NewTextHandler(io.Discard, nil))).WithBatch(8192), j, d
}

// BenchmarkIngest: one op is one call record moved from the journal into
// gateway_calls, in rounds of benchRound records (the journal appends are
// outside the timer; BenchmarkIngestSetup measures them alone for
// instruction counts).
func BenchmarkIngest(b *testing.B) {
	for _, c := range []struct {
		name    string
		prefill int
	}{{"empty", 0}, {"200k", 200000}} {
		b.Run(c.name, func(b *testing.B) {
			in, j, d := benchIngester(b, c.prefill)
			recs := make([]*Record, benchRound)
			for i := range recs {
				recs[i] = benchRecord()
			}
			b.ReportAllocs()
			b.ResetTimer()
			for done := 0; done < b.N; {
				n := min(benchRound, b.N-done)
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
	for _, c := range []struct {
		name    string
		prefill int
	}{{"empty", 0}, {"200k", 200000}} {
		b.Run(c.name, func(b *testing.B) {
			_, j, _ := benchIngester(b, c.prefill)
			recs := make([]*Record, benchRound)
			for i := range recs {
				recs[i] = benchRecord()
			}
			b.ReportAllocs()
			b.ResetTimer()
			for done := 0; done < b.N; {
				n := min(benchRound, b.N-done)
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
