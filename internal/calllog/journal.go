// Package calllog records every gateway call. The gateway appends a record
// to a journal file before it answers, so a call that was answered is on
// disk even if the process is killed the next instant; an ingester moves
// journal records into the gateway_calls table in batches, committing its
// read position in the same transaction (nothing lost, nothing twice).
package calllog

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"sync"
	"time"
)

// Record is one call.
type Record struct {
	CallID        string    `json:"call_id"`
	At            time.Time `json:"at"`
	ConsumerID    int64     `json:"consumer_id,omitempty"`
	ConsumerCode  string    `json:"consumer_code,omitempty"`
	KeyID         string    `json:"key_id,omitempty"`
	APICode       string    `json:"api_code,omitempty"`
	Method        string    `json:"method"`
	Path          string    `json:"path"`
	ClientIP      string    `json:"client_ip"`
	Status        int       `json:"status"`
	Code          string    `json:"code,omitempty"`
	LatencyUS     int64     `json:"latency_us"`
	BytesIn       int64     `json:"bytes_in"`
	BytesOut      int64     `json:"bytes_out"`
	Records       int       `json:"records"`
	SubjectIndex  string    `json:"subject_index,omitempty"`
	SubjectSealed []byte    `json:"subject_sealed,omitempty"`
}

// SegmentBytes is the size after which the journal starts a new file.
const SegmentBytes = 64 << 20

// Journal appends records to numbered segment files in a folder.
type Journal struct {
	dir  string
	mu   sync.Mutex
	f    *os.File
	seg  int
	size int64
}

// lines are the buffers records are encoded in.
var lines = sync.Pool{New: func() any { b := make([]byte, 0, 512); return &b }}

// OpenJournal opens (or creates) the journal in dir, appending to the
// newest segment.
func OpenJournal(dir string) (*Journal, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, err
	}
	segs, err := segments(dir)
	if err != nil {
		return nil, err
	}
	j := &Journal{dir: dir, seg: 1}
	if len(segs) > 0 {
		j.seg = segs[len(segs)-1]
	}
	return j, j.open()
}

func segName(dir string, n int) string { return filepath.Join(dir, fmt.Sprintf("calls-%08d.jsonl", n)) }

func segments(dir string) ([]int, error) {
	names, err := filepath.Glob(filepath.Join(dir, "calls-*.jsonl"))
	if err != nil {
		return nil, err
	}
	var out []int
	for _, n := range names {
		var x int
		if _, err := fmt.Sscanf(filepath.Base(n), "calls-%08d.jsonl", &x); err == nil {
			out = append(out, x)
		}
	}
	sort.Ints(out)
	return out, nil
}

func (j *Journal) open() error {
	f, err := os.OpenFile(segName(j.dir, j.seg), os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o600)
	if err != nil {
		return err
	}
	st, err := f.Stat()
	if err != nil {
		f.Close()
		return err
	}
	j.f, j.size = f, st.Size()
	return nil
}

// Append writes r as one line with a single write call: once it returns,
// the record survives the process (the page cache belongs to the kernel).
func (j *Journal) Append(r *Record) error {
	// Encoded before taking the lock, in a pooled buffer: the lock covers
	// the write alone.
	bp := lines.Get().(*[]byte)
	defer func() {
		if cap(*bp) <= 64<<10 {
			lines.Put(bp)
		}
	}()
	*bp = append(appendRecord((*bp)[:0], r), '\n')
	j.mu.Lock()
	defer j.mu.Unlock()
	n, err := j.f.Write(*bp)
	j.size += int64(n)
	if err != nil {
		return fmt.Errorf("calllog: append: %w", err)
	}
	if j.size >= SegmentBytes {
		if err := j.f.Close(); err != nil {
			return err
		}
		j.seg++
		return j.open()
	}
	return nil
}

// Sync flushes the journal to stable storage (used at shutdown).
func (j *Journal) Sync() error {
	j.mu.Lock()
	defer j.mu.Unlock()
	return j.f.Sync()
}

// Close closes the current segment.
func (j *Journal) Close() error {
	j.mu.Lock()
	defer j.mu.Unlock()
	return j.f.Close()
}
