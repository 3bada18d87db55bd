//go:build unix

package calllog

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"syscall"
	"time"
)

// LockIngest takes the journal folder's ingest lock, waiting (until ctx
// ends) while another ingester holds it. One ingester at a time per
// journal: two would read the same records and could move the committed
// position backwards or remove a segment the other still reads. The lock
// is an flock on <dir>/ingest.lock, so the kernel releases it when its
// holder dies however it dies.
func LockIngest(ctx context.Context, dir string) (release func(), err error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, err
	}
	f, err := os.OpenFile(filepath.Join(dir, "ingest.lock"), os.O_CREATE|os.O_RDWR, 0o600)
	if err != nil {
		return nil, fmt.Errorf("calllog: ingest lock: %w", err)
	}
	for {
		err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB)
		if err == nil {
			return func() { syscall.Flock(int(f.Fd()), syscall.LOCK_UN); f.Close() }, nil
		}
		if !errors.Is(err, syscall.EWOULDBLOCK) && !errors.Is(err, syscall.EINTR) {
			f.Close()
			return nil, fmt.Errorf("calllog: ingest lock: %w", err)
		}
		select {
		case <-ctx.Done():
			f.Close()
			return nil, fmt.Errorf("calllog: ingest lock: %w", ctx.Err())
		case <-time.After(100 * time.Millisecond):
		}
	}
}
