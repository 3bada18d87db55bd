package dataapi

import (
	"sync"
	"time"
)

// cache keeps answers of one published version for its cache time. It is
// bounded: when full it starts over, which is cheap and keeps memory flat.
// A new snapshot builds new endpoints, so a changed version never serves
// an old answer.
type cache struct {
	ttl     time.Duration
	mu      sync.Mutex
	entries map[string]cacheEntry
}

type cacheEntry struct {
	body    []byte
	expires time.Time
}

const cacheMaxEntries = 10000

func newCache(seconds int) *cache {
	return &cache{ttl: time.Duration(seconds) * time.Second, entries: map[string]cacheEntry{}}
}

func (c *cache) get(key string) ([]byte, bool) {
	if c.ttl <= 0 {
		return nil, false
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.entries[key]
	if !ok || time.Now().After(e.expires) {
		return nil, false
	}
	return e.body, true
}

func (c *cache) put(key string, body []byte) {
	if c.ttl <= 0 {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.entries) >= cacheMaxEntries {
		c.entries = map[string]cacheEntry{}
	}
	c.entries[key] = cacheEntry{body: body, expires: time.Now().Add(c.ttl)}
}
