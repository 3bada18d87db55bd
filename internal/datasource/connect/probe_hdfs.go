package connect

import (
	"context"
	"fmt"
	"net"
	"time"

	"github.com/colinmarc/hdfs/v2"
)

// probeHDFS: resolve → connect → list. HDFS "simple" authentication only
// claims a user name (there is no password to check); Kerberos-secured
// clusters are not supported yet and fail at the list step with the
// namenode's message.
func probeHDFS(r *run, k Kind) {
	t := r.t
	if t.Username == "" {
		r.stop(fail(stepTarget, CodeBadTarget, "请填写访问 HDFS 所用的用户名（username）", "enter the user name to act as on HDFS (username)"), 0)
		return
	}
	host, port := t.host(), t.port(k)
	r.resolve(host)
	r.connect(host, port, false)
	dir := t.opt(OptPath)
	if dir == "" {
		dir = "/"
	}
	r.step(stepList, func(ctx context.Context) (string, string, *failure) {
		var n int
		err := within(ctx, func() error {
			c, err := hdfs.NewClient(hdfs.ClientOptions{
				Addresses: []string{t.address(k)},
				User:      t.Username,
				// Deadlines on the raw connection bound every namenode
				// call, which take no context.
				NamenodeDialFunc: func(dctx context.Context, network, addr string) (net.Conn, error) {
					conn, err := (&net.Dialer{}).DialContext(dctx, network, addr)
					if err == nil {
						_ = conn.SetDeadline(time.Now().Add(t.timeout()))
					}
					return conn, err
				},
			})
			if err != nil {
				return err
			}
			defer c.Close()
			infos, err := c.ReadDir(dir)
			n = len(infos)
			return err
		})
		if err != nil {
			return "", "", listFailure(err, t, dir, r.secs())
		}
		return fmt.Sprintf("HDFS 目录 %s 可以列出，共 %d 项", dir, n), fmt.Sprintf("HDFS directory %s listed: %d entries", dir, n), nil
	})
}
