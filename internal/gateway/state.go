package gateway

import (
	"context"
	"hash/fnv"
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// State is the gateway state that several nodes must share: used nonces,
// rate limits and calendar quotas. One node keeps it in memory; behind a
// load balancer, Redis (RedisState).
type State interface {
	// FirstUse records key and reports whether it was unused (a nonce).
	FirstUse(ctx context.Context, key string, ttl time.Duration) (bool, error)
	// Allow takes a token from key's bucket (rate per second, burst);
	// when refused, retry tells when to come back.
	Allow(ctx context.Context, key string, perSec float64, burst int) (ok bool, retry time.Duration, err error)
	// Take counts one use of key against limit until expires; it reports
	// false (and does not count) once the limit is reached.
	Take(ctx context.Context, key string, limit int64, expires time.Time) (bool, error)
	// Used reports how much of key's quota is used (for the console).
	Used(ctx context.Context, key string) (int64, error)
}

// MemoryState is State for a single node.
type MemoryState struct {
	mu       sync.Mutex
	nonces   nonceSet
	limiters map[string]*bucket
	counts   map[string]*counter
	now      func() time.Time
	sweepAt  time.Time
}

type bucket struct {
	l     *rate.Limiter
	rate  float64
	burst int
}

type counter struct {
	n       int64
	expires time.Time
}

var _ State = (*MemoryState)(nil)

// NewMemoryState makes an empty in-memory state.
func NewMemoryState() *MemoryState {
	return &MemoryState{nonces: nonceSet{}, limiters: map[string]*bucket{}, counts: map[string]*counter{}, now: time.Now}
}

func (m *MemoryState) sweep(now time.Time) {
	if now.Before(m.sweepAt) {
		return
	}
	m.sweepAt = now.Add(30 * time.Second)
	for k, c := range m.counts {
		if now.After(c.expires) {
			delete(m.counts, k)
		}
	}
}

// FirstUse implements State.
func (m *MemoryState) FirstUse(_ context.Context, key string, ttl time.Duration) (bool, error) {
	now := m.now()
	m.mu.Lock()
	defer m.mu.Unlock()
	m.sweep(now)
	return m.nonces.firstUse(key, now, ttl), nil
}

// Allow implements State.
func (m *MemoryState) Allow(_ context.Context, key string, perSec float64, burst int) (bool, time.Duration, error) {
	if burst < 1 {
		burst = 1
	}
	m.mu.Lock()
	b := m.limiters[key]
	if b == nil || b.rate != perSec || b.burst != burst {
		b = &bucket{l: rate.NewLimiter(rate.Limit(perSec), burst), rate: perSec, burst: burst}
		m.limiters[key] = b
	}
	m.mu.Unlock()
	r := b.l.ReserveN(m.now(), 1)
	if !r.OK() {
		return false, time.Second, nil
	}
	if d := r.DelayFrom(m.now()); d > 0 {
		r.CancelAt(m.now())
		return false, d, nil
	}
	return true, 0, nil
}

// Take implements State.
func (m *MemoryState) Take(_ context.Context, key string, limit int64, expires time.Time) (bool, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	c := m.counts[key]
	if c == nil {
		c = &counter{expires: expires}
		m.counts[key] = c
	}
	if c.n >= limit {
		return false, nil
	}
	c.n++
	return true, nil
}

// Used implements State.
func (m *MemoryState) Used(_ context.Context, key string) (int64, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if c := m.counts[key]; c != nil && m.now().Before(c.expires) {
		return c.n, nil
	}
	return 0, nil
}

// nonceSet remembers used nonces compactly: a 16-byte digest per nonce, in
// one map per minute; a minute's map is dropped whole once all of it has
// expired, so the heap holds ttl's worth of digests and no sweep walks it.
// (A digest collision would refuse one genuine call as a replay, with odds
// far below 2^-64 at any realistic rate.)
type nonceSet map[int64]map[[16]byte]struct{}

func (s nonceSet) firstUse(key string, now time.Time, ttl time.Duration) bool {
	h := fnv.New128a()
	h.Write([]byte(key))
	var d [16]byte
	h.Sum(d[:0])
	minute := now.Unix() / 60
	oldest := now.Add(-ttl).Unix()/60 - 1 // the minute bucket that may still hold unexpired nonces
	for m, set := range s {
		if m < oldest {
			delete(s, m)
			continue
		}
		if _, ok := set[d]; ok {
			return false
		}
	}
	cur := s[minute]
	if cur == nil {
		cur = map[[16]byte]struct{}{}
		s[minute] = cur
	}
	cur[d] = struct{}{}
	return true
}
