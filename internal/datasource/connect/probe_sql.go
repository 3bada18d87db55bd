package connect

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"time"
)

// probeSQL: resolve → connect → [tls] → auth → permission → query for
// servers; for sqlite/duckdb files: connect (open the file) → query.
func probeSQL(r *run, k Kind) {
	if k.Dialect == DialectSQLite || k.Dialect == DialectDuckDB {
		probeSQLFile(r, k)
		return
	}
	t := r.t
	host, port := t.host(), t.port(k)
	r.resolve(host)
	r.connect(host, port, false)
	if !r.ok() {
		return
	}
	db, _, err := OpenSQL(t)
	if err != nil {
		r.stop(fail(stepTarget, CodeBadTarget, "连接参数无效", "invalid connection settings").withDetail(err), 0)
		return
	}
	defer db.Close()
	db.SetMaxOpenConns(1)
	if !login(r, db, k) {
		return
	}
	testQuery(r, db, k)
}

// tlsConfigured tells whether t asks for an encrypted connection, so the
// probe shows a tls step only where one is expected.
func tlsConfigured(t Target, k Kind) bool {
	switch k.Dialect {
	case DialectPostgres:
		switch strings.ToLower(t.opt(OptSSLMode)) {
		case "require", "verify-ca", "verify-full":
			return true
		}
	case DialectMySQL:
		switch strings.ToLower(t.opt(OptTLS)) {
		case "true", "on", "required", "verify", "skip-verify":
			return true
		}
	case DialectSQLServer:
		switch strings.ToLower(t.opt(OptEncrypt)) {
		case "true", "strict":
			return true
		}
	case DialectOracle:
		return strings.EqualFold(t.opt(OptSSL), "true")
	}
	return false
}

// login opens one connection: the server checks TLS, the password and
// access to the database in one exchange, and its error code tells which
// of them failed.
func login(r *run, db *sql.DB, k Kind) bool {
	t := r.t
	order := []string{stepAuth, stepPermission}
	if tlsConfigured(t, k) {
		order = []string{stepTLS, stepAuth, stepPermission}
	}
	target := t.Database
	if k.Dialect == DialectOracle {
		target = t.opt(OptServiceName)
		if target == "" {
			target = t.Database
		}
	}
	passes := map[string][2]string{
		stepTLS:        {"TLS 加密连接已建立", "TLS connection established"},
		stepAuth:       {fmt.Sprintf("用户 %s 认证成功", t.Username), fmt.Sprintf("user %s authenticated", t.Username)},
		stepPermission: {fmt.Sprintf("可以访问数据库 %s", target), fmt.Sprintf("database %s is accessible", target)},
	}
	if r.ctx.Err() != nil {
		r.stop(ctxFailure(order[0], r.ctx.Err(), r.secs()), 0)
		return false
	}
	ctx, cancel := r.stepCtx()
	defer cancel()
	t0 := time.Now()
	err := within(ctx, func() error { return db.PingContext(ctx) })
	el := time.Since(t0)
	if err != nil {
		f := sqlFailure(err, t, stepAuth)
		switch f.code {
		case CodeTLSFailed, CodeAuthFailed, CodePermissionDenied, CodeDatabaseMissing:
			// The server named the failed check, so the ones before passed.
			r.stopAfter(f, order, passes, el)
		default:
			// A timeout or a broken login says nothing about which check
			// was reached; claim no passes.
			r.stop(f, el)
		}
		return false
	}
	for i, s := range order {
		d := time.Duration(0)
		if i == len(order)-1 {
			d = el
		}
		r.pass(s, passes[s][0], passes[s][1], d)
	}
	return true
}

func testQuery(r *run, db *sql.DB, k Kind) {
	q := "SELECT 1"
	if k.Dialect == DialectOracle {
		q = "SELECT 1 FROM DUAL"
	}
	r.step(stepQuery, func(ctx context.Context) (string, string, *failure) {
		var one int
		err := within(ctx, func() error { return db.QueryRowContext(ctx, q).Scan(&one) })
		if err != nil {
			return "", "", sqlFailure(err, r.t, stepQuery)
		}
		return fmt.Sprintf("测试查询 %s 执行成功", q), fmt.Sprintf("test query %s succeeded", q), nil
	})
}

// fileMagic is how each embedded database file starts, so a wrong file is
// reported as such instead of as an obscure driver error.
func fileMagic(dialect string) (offset int, magic []byte) {
	if dialect == DialectDuckDB {
		return 8, []byte("DUCK")
	}
	return 0, []byte("SQLite format 3\x00")
}

func probeSQLFile(r *run, k Kind) {
	t := r.t
	p, err := absPath(t)
	if err != nil {
		r.stop(fail(stepTarget, CodeBadTarget, "数据库文件路径含有非法字符 ?", "the database file path contains '?'"), 0)
		return
	}
	var db *sql.DB
	ok := r.step(stepConnect, func(ctx context.Context) (string, string, *failure) {
		if f := checkDBFile(p, k.Dialect); f != nil {
			return "", "", f
		}
		var err error
		err = within(ctx, func() error {
			var e error
			db, _, e = OpenSQL(t)
			if e != nil {
				return e
			}
			return db.PingContext(ctx)
		})
		if err != nil {
			if f := ctxFailure(stepConnect, err, r.secs()); f != nil {
				return "", "", f
			}
			return "", "", fail(stepConnect, CodeBadFile, fmt.Sprintf("无法打开数据库文件 %s", p), fmt.Sprintf("cannot open database file %s", p)).withDetail(err)
		}
		return fmt.Sprintf("已只读打开 %s", p), fmt.Sprintf("opened %s read-only", p), nil
	})
	if db != nil {
		defer db.Close()
	}
	if ok {
		testQuery(r, db, k)
	}
}

// checkDBFile says what is wrong with the file before a driver tries it.
func checkDBFile(p, dialect string) *failure {
	fi, err := os.Stat(p)
	switch {
	case errors.Is(err, os.ErrNotExist):
		return fail(stepConnect, CodePathMissing, fmt.Sprintf("数据库文件 %s 不存在，请检查路径", p), fmt.Sprintf("database file %s does not exist; check the path", p))
	case errors.Is(err, os.ErrPermission):
		return fail(stepPermission, CodePermissionDenied, fmt.Sprintf("无权读取数据库文件 %s", p), fmt.Sprintf("no permission to read database file %s", p))
	case err != nil:
		return fail(stepConnect, CodeBadFile, fmt.Sprintf("无法访问数据库文件 %s", p), fmt.Sprintf("cannot access database file %s", p)).withDetail(err)
	case fi.IsDir():
		return fail(stepConnect, CodeBadFile, fmt.Sprintf("%s 是目录，不是数据库文件", p), fmt.Sprintf("%s is a directory, not a database file", p))
	case !fi.Mode().IsRegular():
		return fail(stepConnect, CodeBadFile, fmt.Sprintf("%s 不是普通文件", p), fmt.Sprintf("%s is not a regular file", p))
	case fi.Size() == 0 && dialect == DialectSQLite:
		return nil // SQLite reads an empty file as an empty database
	}
	f, err := os.Open(p)
	if errors.Is(err, os.ErrPermission) {
		return fail(stepPermission, CodePermissionDenied, fmt.Sprintf("无权读取数据库文件 %s", p), fmt.Sprintf("no permission to read database file %s", p))
	} else if err != nil {
		return fail(stepConnect, CodeBadFile, fmt.Sprintf("无法打开数据库文件 %s", p), fmt.Sprintf("cannot open database file %s", p)).withDetail(err)
	}
	defer f.Close()
	off, magic := fileMagic(dialect)
	head := make([]byte, off+len(magic))
	if _, err := io.ReadFull(f, head); err != nil || !bytes.Equal(head[off:], magic) {
		return fail(stepConnect, CodeBadFile,
			fmt.Sprintf("%s 不是 %s 数据库文件", p, dialect), fmt.Sprintf("%s is not a %s database file", p, dialect))
	}
	return nil
}
