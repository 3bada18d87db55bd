package gateway

import (
	"context"
	"net"
	"testing"
	"time"
)

// The two ways of bounding an upstream call by the caller's request
// context: a context with a timeout per call (the Transport's way), or the
// connection's deadline plus a hook that moves it when the caller goes
// away (the upstream client's way). Each iteration is one call's worth,
// on a fresh request context as net/http's server makes them.

func BenchmarkCallerWatchWithTimeout(b *testing.B) {
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		req, done := context.WithCancel(context.Background())
		ctx, cancel := context.WithTimeout(req, 5*time.Second)
		cancel()
		_ = ctx
		done()
	}
}

func BenchmarkCallerWatchAfterFunc(b *testing.B) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	defer l.Close()
	c, err := net.Dial("tcp", l.Addr().String())
	if err != nil {
		b.Fatal(err)
	}
	defer c.Close()
	uc := newUpConn(c, c)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		req, done := context.WithCancel(context.Background())
		uc.w.conn.SetDeadline(time.Now().Add(5 * time.Second))
		stop := context.AfterFunc(req, uc.expire)
		stop()
		done()
	}
}

// BenchmarkCallerWatchNone is the request context alone, to subtract.
func BenchmarkCallerWatchNone(b *testing.B) {
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		_, done := context.WithCancel(context.Background())
		done()
	}
}
