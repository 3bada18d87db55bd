package app

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"runtime"
	"syscall"
	"time"
)

const childIngestSupported = true

// ingestNice is the child's CPU priority: the lowest (19). Under full load
// the kernel gives it little CPU and its backlog waits in the journal; it
// catches up as soon as the cores have time to spare.
const ingestNice = 19

// runIngestChild starts the ingester child and waits for it; when ctx ends
// it asks the child to finish (SIGTERM: one last round) and waits for it.
func (a *App) runIngestChild(ctx context.Context) error {
	errc := make(chan error, 1)
	go func() {
		// The child inherits the nice value of the thread that starts it,
		// and the kernel sends it Pdeathsig when that thread ends: so a
		// locked thread starts it and waits. It is never unlocked: the
		// thread, niced, ends with this goroutine instead of going back to
		// the runtime's pool.
		runtime.LockOSThread()
		errc <- a.ingestChild(ctx)
	}()
	return <-errc
}

func (a *App) ingestChild(ctx context.Context) error {
	if err := syscall.Setpriority(syscall.PRIO_PROCESS, syscall.Gettid(), ingestNice); err != nil {
		a.log.Warn("call log: cannot lower the ingester's priority", "err", err)
	}
	cmd := exec.Command(a.IngestCommand[0], a.IngestCommand[1:]...)
	cmd.Env = os.Environ()
	cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
	// Its own process group: a terminal's Ctrl-C reaches serve alone, which
	// stops the child after the last call has been journaled.
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGTERM}
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("start %s: %w", a.IngestCommand[0], err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		if err == nil {
			err = errors.New("exited")
		}
		return err
	case <-ctx.Done():
	}
	_ = cmd.Process.Signal(syscall.SIGTERM)
	select {
	case err := <-done:
		return err
	case <-time.After(2 * time.Minute):
		_ = cmd.Process.Kill() // what it had not committed stays in the journal for the next start
		<-done
		return errors.New("killed: it did not finish within 2 minutes")
	}
}
