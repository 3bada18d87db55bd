package gateway

import (
	"context"
	"fmt"
	"os"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/xietong/xietong/internal/gm"
)

// states gives a pair of States that must behave as one shared state: the
// same MemoryState twice, and — when XIETONG_TEST_REDIS names a Redis — two
// RedisStates with their own clients, as two gateway nodes would have.
func states(t *testing.T) map[string][2]State {
	m := NewMemoryState()
	out := map[string][2]State{"memory": {m, m}}
	url := os.Getenv("XIETONG_TEST_REDIS")
	if url == "" {
		if os.Getenv("CI") == "true" {
			t.Fatal("CI=true but XIETONG_TEST_REDIS is not set: the Redis state would go untested")
		}
		fmt.Println("NOTICE: XIETONG_TEST_REDIS not set; the Redis state is not tested")
		return out
	}
	prefix := "xt-test-" + gm.Token(6) + ":"
	var pair [2]State
	for i := range pair {
		opts, err := redis.ParseURL(url)
		if err != nil {
			t.Fatal(err)
		}
		rdb := redis.NewClient(opts)
		if err := rdb.Ping(context.Background()).Err(); err != nil {
			t.Fatalf("redis at XIETONG_TEST_REDIS: %v", err)
		}
		t.Cleanup(func() { rdb.Close() })
		pair[i] = NewRedisState(rdb, prefix)
	}
	out["redis"] = pair
	return out
}

func TestSharedState(t *testing.T) {
	for name, pair := range states(t) {
		t.Run(name, func(t *testing.T) {
			ctx := context.Background()
			a, b := pair[0], pair[1]
			// A nonce used on one node is refused on the other.
			if ok, err := a.FirstUse(ctx, "k:n1", time.Minute); !ok || err != nil {
				t.Fatalf("first use: %v %v", ok, err)
			}
			if ok, _ := b.FirstUse(ctx, "k:n1", time.Minute); ok {
				t.Fatal("a replayed nonce was accepted by the other node")
			}
			// A quota is counted across nodes and stops at the limit.
			exp := time.Now().Add(time.Hour)
			taken := 0
			for i := 0; i < 10; i++ {
				n := a
				if i%2 == 1 {
					n = b
				}
				if ok, err := n.Take(ctx, "q:day", 7, exp); err != nil {
					t.Fatal(err)
				} else if ok {
					taken++
				}
			}
			if taken != 7 {
				t.Fatalf("quota 7 let %d calls through", taken)
			}
			// A rate limit with burst 3 at 1/s lets 3 through at once, then refuses with a retry time.
			allowed := 0
			var retry time.Duration
			for i := 0; i < 6; i++ {
				n := a
				if i%2 == 1 {
					n = b
				}
				ok, r, err := n.Allow(ctx, "rate:g1", 1, 3)
				if err != nil {
					t.Fatal(err)
				}
				if ok {
					allowed++
				} else {
					retry = r
				}
			}
			if allowed != 3 || retry <= 0 {
				t.Fatalf("burst 3: %d allowed, retry %v", allowed, retry)
			}
		})
	}
}

// TestNonceExpiry: a nonce is refused while remembered and accepted again
// once its time is past; old minutes are dropped whole.
func TestNonceExpiry(t *testing.T) {
	m := NewMemoryState()
	now := time.Date(2026, 11, 23, 8, 0, 30, 0, time.UTC)
	m.now = func() time.Time { return now }
	ctx := context.Background()
	if ok, _ := m.FirstUse(ctx, "k:a", 15*time.Minute); !ok {
		t.Fatal("first use refused")
	}
	now = now.Add(14 * time.Minute)
	if ok, _ := m.FirstUse(ctx, "k:a", 15*time.Minute); ok {
		t.Fatal("replay accepted inside the window")
	}
	now = now.Add(3 * time.Minute)
	if ok, _ := m.FirstUse(ctx, "k:a", 15*time.Minute); !ok {
		t.Fatal("nonce still refused long after its window")
	}
	if len(m.nonces) > 17 {
		t.Fatalf("%d minute buckets kept", len(m.nonces))
	}
}
