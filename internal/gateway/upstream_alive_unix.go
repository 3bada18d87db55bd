//go:build linux || darwin || freebsd || netbsd || openbsd || dragonfly

package gateway

import (
	"net"
	"syscall"
)

// alive peeks, without blocking, at a pooled connection before a call
// that must not be sent twice: an upstream that closed it (idle timeout,
// restart) has left an end of file or a reset to read, and one that sent
// anything unasked cannot be trusted with a request either. It costs one
// system call. Connections without a descriptor (tests' pipes) count as
// alive.
func alive(c net.Conn) bool {
	sc, ok := c.(syscall.Conn)
	if !ok {
		return true
	}
	rc, err := sc.SyscallConn()
	if err != nil {
		return false
	}
	var buf [1]byte
	ok = false
	err = rc.Read(func(fd uintptr) bool {
		_, _, rerr := syscall.Recvfrom(int(fd), buf[:], syscall.MSG_PEEK|syscall.MSG_DONTWAIT)
		ok = rerr == syscall.EAGAIN || rerr == syscall.EWOULDBLOCK
		return true
	})
	return err == nil && ok
}

// peerGone peeks, without blocking, at a caller's connection: an end of
// file or a reset means the caller hung up. Data waiting (a pipelined
// request) or nothing to read means it is still there. One system call.
func peerGone(c net.Conn) bool {
	if t, ok := c.(interface{ NetConn() net.Conn }); ok { // *tls.Conn
		c = t.NetConn()
	}
	sc, ok := c.(syscall.Conn)
	if !ok {
		return false
	}
	rc, err := sc.SyscallConn()
	if err != nil {
		return true
	}
	var buf [1]byte
	gone := false
	err = rc.Read(func(fd uintptr) bool {
		n, _, rerr := syscall.Recvfrom(int(fd), buf[:], syscall.MSG_PEEK|syscall.MSG_DONTWAIT)
		gone = rerr == nil && n == 0 || rerr == syscall.ECONNRESET
		return true
	})
	return err != nil || gone
}
