//go:build linux || darwin || freebsd || netbsd || openbsd || dragonfly

package gateway

import (
	"errors"
	"net"
	"syscall"
)

// peek reads one byte of c without taking it and without blocking: n and
// the error (EAGAIN: nothing to read). has is false for connections
// without a descriptor (tests' pipes).
func peek(c net.Conn) (n int, err error, has bool) {
	sc, ok := c.(syscall.Conn)
	if !ok {
		return 0, nil, false
	}
	rc, err := sc.SyscallConn()
	if err != nil {
		return 0, err, true
	}
	var buf [1]byte
	if cerr := rc.Read(func(fd uintptr) bool {
		n, _, err = syscall.Recvfrom(int(fd), buf[:], syscall.MSG_PEEK|syscall.MSG_DONTWAIT)
		return true
	}); cerr != nil {
		return 0, cerr, true
	}
	return n, err, true
}

func wouldBlock(err error) bool {
	return errors.Is(err, syscall.EAGAIN) || errors.Is(err, syscall.EWOULDBLOCK)
}

// alive peeks at a pooled connection before a call that must not be sent
// twice: an upstream that closed it (idle timeout, restart) has left an
// end of file or a reset to read, and one that sent anything unasked
// cannot be trusted with a request either. One system call. Connections
// without a descriptor count as alive.
func alive(c net.Conn) bool {
	_, err, has := peek(c)
	return !has || wouldBlock(err)
}

// peerGone peeks at a caller's connection: an end of file or an error
// means the caller hung up; data waiting (a pipelined request) or nothing
// to read means it is still there. One system call.
func peerGone(c net.Conn) bool {
	if t, ok := c.(interface{ NetConn() net.Conn }); ok { // *tls.Conn
		c = t.NetConn()
	}
	n, err, has := peek(c)
	return has && (err == nil && n == 0 || err != nil && !wouldBlock(err))
}
