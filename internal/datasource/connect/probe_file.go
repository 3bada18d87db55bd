package connect

import (
	"errors"
	"fmt"
	"os"

	"github.com/pkg/sftp"
)

// Errors the file probes raise themselves, to classify by identity.
var (
	errNoSubsystem = errors.New("the server offers no SFTP subsystem")
	errNotDir      = errors.New("not a directory")
)

// probeFile dispatches a file-server kind.
func probeFile(r *run, k Kind) {
	switch k.Kind {
	case "sftp":
		probeSFTP(r, k)
	case "ftp":
		probeFTP(r, k)
	case "hdfs":
		probeHDFS(r, k)
	default:
		r.stop(fail(stepTarget, CodeUnknownKind, fmt.Sprintf("不支持的文件服务器类型 %q", k.Kind), fmt.Sprintf("unsupported file server kind %q", k.Kind)), 0)
	}
}

// listFailure explains why a directory could not be listed: a denial is
// reported on the permission step, everything else on the list step.
func listFailure(err error, t Target, dir string, secs int) *failure {
	if f := ctxFailure(stepList, err, secs); f != nil {
		return f
	}
	var st *sftp.StatusError
	isStatus := func(code error) bool { return errors.As(err, &st) && st.FxCode() == code }
	switch {
	case errors.Is(err, errNoSubsystem):
		return fail(stepList, CodeListFailed, "服务器未启用 SFTP 子系统（只允许 shell 登录？），请让对方在 sshd 中配置 Subsystem sftp",
			"the server offers no SFTP subsystem (shell-only login?); ask its administrator to configure Subsystem sftp in sshd")
	case errors.Is(err, errNotDir):
		return fail(stepList, CodeNotDirectory, fmt.Sprintf("%s 是文件，不是目录，请填写目录路径", dir), fmt.Sprintf("%s is a file, not a directory; enter a directory path", dir))
	case errors.Is(err, os.ErrNotExist), isStatus(sftp.ErrSSHFxNoSuchFile):
		return fail(stepList, CodePathMissing, fmt.Sprintf("目录 %s 不存在，请检查路径", dir), fmt.Sprintf("directory %s does not exist; check the path", dir))
	case errors.Is(err, os.ErrPermission), isStatus(sftp.ErrSSHFxPermissionDenied):
		return fail(stepPermission, CodePermissionDenied,
			fmt.Sprintf("用户 %s 无权列出目录 %s，请让对方授予读取权限", t.Username, dir),
			fmt.Sprintf("user %s may not list directory %s; ask for read permission", t.Username, dir))
	}
	return fail(stepList, CodeListFailed, fmt.Sprintf("无法列出目录 %s", dir), fmt.Sprintf("cannot list directory %s", dir)).withDetail(err)
}
